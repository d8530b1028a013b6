import Logging
@testable import StrataMedia
import StrataManifest
import Testing

@Suite("Track planning")
struct TrackPlannerTests {
    let logger = Logger(label: "test")

    func audio(_ index: Int, _ language: String?, _ dispositions: [String], title: String? = nil) -> StreamDescription {
        StreamDescription(index: index, type: .audio, codec: "aac", language: language, title: title, dispositions: dispositions)
    }

    func master(_ streams: [StreamDescription]) -> MasterDescription {
        MasterDescription(path: "m.mp4", format: "mp4", size: 1, streams: streams)
    }

    @Test("languages become BCP 47, roles come from dispositions, names are human and unique, one default")
    func masterAudio() throws {
        let tracks = TrackPlanner.audio(
            master: master([audio(1, "eng", ["default"]), audio(2, "spa", ["dub"]), audio(3, "eng", ["visual_impaired"]),
                            audio(4, "eng", ["comment"], title: "Director"), audio(5, "eng", [])]),
            sidecars: [try SidecarAudio(path: "de.m4a", language: "ger", role: .dub)], roles: [:], keepLanguages: nil, logger: logger)
        #expect(tracks.map(\.label.id) == ["en", "es-dub", "en-description", "en-commentary", "en-2", "de-dub"])
        #expect(tracks.map(\.label.name) == ["English", "Español", "English (audio description)", "Director (commentary)", "English 2", "Deutsch"])
        #expect(tracks.map(\.label.role) == [.main, .dub, .description, .commentary, .main, .dub])
        #expect(tracks.filter(\.label.isDefault).map(\.label.id) == ["en"])
    }

    @Test("a role given for a master stream overrides its dispositions")
    func roleOverride() {
        let tracks = TrackPlanner.audio(master: master([audio(1, "eng", ["default"]), audio(2, "eng", [])]), sidecars: [],
                                        roles: [2: .description], keepLanguages: nil, logger: logger)
        #expect(tracks.map(\.label.role) == [.main, .description])
    }

    @Test("the profile's languages filter the master's audio but not sidecars")
    func languageFilter() throws {
        let tracks = TrackPlanner.audio(master: master([audio(1, "eng", ["default"]), audio(2, "fre", []), audio(3, "spa", [])]),
                                        sidecars: [try SidecarAudio(path: "it.m4a", language: "it")], roles: [:],
                                        keepLanguages: ["en", "es"], logger: logger)
        #expect(tracks.map(\.label.language) == ["en", "es", "it"])
    }

    @Test("with no master default, the first main track is the default; unknown tags are 'und'")
    func defaults() {
        let tracks = TrackPlanner.audio(master: master([audio(1, "eng", ["visual_impaired"]), audio(2, "xx", [])]), sidecars: [],
                                        roles: [:], keepLanguages: nil, logger: logger)
        #expect(tracks.filter(\.label.isDefault).map(\.label.id) == ["und"])
    }

    @Test("caption tracks: text streams kept, bitmap subtitles left out, kinds from dispositions and sidecars")
    func captions() throws {
        let streams = [
            StreamDescription(index: 4, type: .subtitle, codec: "mov_text", language: "eng", dispositions: ["default"]),
            StreamDescription(index: 5, type: .subtitle, codec: "hdmv_pgs_subtitle", language: "eng", dispositions: []),
            StreamDescription(index: 6, type: .subtitle, codec: "subrip", language: "fre", dispositions: ["forced"]),
        ]
        let sidecar = try SidecarCaptions(path: "en.srt", language: "en", kind: .sdh)
        let tracks = TrackPlanner.captions(master: master(streams), sidecars: [(sidecar, [Cue(start: 0, end: 1, text: "x")])], logger: logger)
        #expect(tracks.map(\.label.id) == ["en", "fr-forced", "en-sdh"])
        #expect(tracks.map(\.label.name) == ["English", "Français (forced)", "English (SDH)"])
    }

    @Test("unknown language codes for sidecars are refused")
    func unknownLanguage() {
        #expect(throws: TranscodeError.self) { try SidecarAudio(path: "a.m4a", language: "xx") }
        #expect(throws: TranscodeError.self) { try SidecarCaptions(path: "a.srt", language: "und") }
    }
}
