import Foundation
import StrataManifest

extension PreparedTranscode {
    /// The listener that lists `request`'s package in its manifests as it grows, for `ladder` (this preparation's
    /// ladder as decided for the run), continuing what an interrupted run published (`earlier`). Until a rung's
    /// bit rates are measured, the manifests state its `maxrate` (and the profile's audio bit rate).
    func progressivePackage(_ request: TranscodeRequest, ladder: LadderPlan, masterCues: [Int: [Cue]], earlier: ProgressivePackage.Journal?,
                            onPublish: @escaping @Sendable (Double) -> Void) throws(TranscodeError) -> ProgressivePackage {
        var provisional = Dictionary(ladder.renditions.map { ($0.spec.name, $0.spec.maxrate) }, uniquingKeysWith: { $1 })
        for track in audio { provisional[track.label.id] = request.profile.audio.bitrate }
        let package = ProgressivePackage(
            root: request.outputDirectory, videoCount: ladder.renditions.count, audioCount: audio.count,
            captions: captions.map { ($0.label, CaptionTrackWriter.cues(of: $0, masterCues: masterCues)) },
            targetSegmentSeconds: request.profile.segmentSeconds, provisionalBitRates: provisional, earlier: earlier, onPublish: onPublish)
        try package.checkTracks(video: ladder.renditions.map { "video/\($0.spec.name)" }, audio: audio.map { "audio/\($0.label.id)" })
        return package
    }
}
