// fuzz-modules: StrataMedia
// Probe and decode of a master from memory (a custom AVIOContext in FFmpegBridge), with FFmpeg's limits set as
// OSS-Fuzz's target_dec_fuzzer does: max_pixels, an allocation ceiling, and a decode budget per input.
// Invariants: no memory error in the bridge's frame/packet ownership (ASan); decoded pictures obey max_pixels;
// a ladder planned for whatever the master claims is even, non-empty, never larger than the master and
// within what an encoder accepts — or the master is refused with a typed error.
import FFmpegBridge
import Foundation
@testable import StrataMedia
import StrataProfiles

let limits = DecodeLimits(maxPixels: 2048 * 2048, maxAllocationBytes: 256 << 20)
/// Packets read and frames decoded per input: enough to reach every decoder path, bounded so one input cannot stall.
let packetBudget = 120, frameBudget = 24
let ladder = EncodingProfile(name: "fuzz", renditions: [
    RenditionSpec(name: "1080p", height: 1080, bitrate: 5_000_000), RenditionSpec(name: "720p", height: 720, bitrate: 2_800_000),
    RenditionSpec(name: "360p", height: 360, bitrate: 800_000), RenditionSpec(name: "box", height: 240, width: 320, bitrate: 300_000),
])
let silenceFFmpeg: Void = FFmpegLog.setLevel(.quiet)

@_cdecl("LLVMFuzzerTestOneInput")
public func masterFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = silenceFFmpeg
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? InputFile(bytes: bytes, name: "fuzz", limits: limits) else { return 0 }
    let streams = file.info.streams.map(StreamDescription.init)
    for (info, stream) in zip(file.info.streams, streams) where stream.type == .video {
        precondition(info.width >= 0 && info.height >= 0, "negative size \(info.width)×\(info.height)")
        checkPlan(stream)
    }
    decode(file, streams: streams)
    return 0
}

func checkPlan(_ video: StreamDescription) {
    let plan: LadderPlan
    do {
        plan = try LadderPlan(profile: ladder, video: video)
    } catch {
        precondition(error.code == .unsupported, "unexpected refusal \(error)")
        return
    }
    precondition(!plan.renditions.isEmpty, "no rendition for \(video)")
    for rendition in plan.renditions {
        precondition(rendition.width % 2 == 0 && rendition.height % 2 == 0 && rendition.width >= 2 && rendition.height >= 2,
                     "odd or empty rendition \(rendition.width)×\(rendition.height)")
        precondition(rendition.width <= plan.displayWidth + 1 && rendition.height <= plan.displayHeight + 1,
                     "upscaled \(plan.displayWidth)×\(plan.displayHeight) to \(rendition.width)×\(rendition.height)")
        precondition(rendition.width <= LadderPlan.maximumDisplaySide && rendition.height <= LadderPlan.maximumDisplaySide,
                     "an encoder cannot take \(rendition.width)×\(rendition.height)")
    }
}

/// Decodes the first video and audio streams within the budget.
func decode(_ file: InputFile, streams: [StreamDescription]) {
    let chosen = [streams.first { $0.type == .video }, streams.first { $0.type == .audio }].compactMap { $0?.index }
    var decoders: [Int: Decoder] = [:]
    for index in chosen {
        guard let parameters = try? file.codecParameters(stream: index),
              let decoder = try? Decoder(parameters: parameters, threads: 1, maxPixels: limits.maxPixels) else { continue }
        decoders[index] = decoder
    }
    guard !decoders.isEmpty, let packet = try? Packet() else { return }
    file.selectStreams(Set(decoders.keys))
    var frames = 0
    let count = { (frame: Frame) in
        frames += 1
        if frame.width > 0 || frame.height > 0 {
            precondition(frame.width * frame.height <= limits.maxPixels, "max_pixels ignored: \(frame.width)×\(frame.height)")
        }
    }
    for _ in 0..<packetBudget where frames < frameBudget {
        guard let more = try? file.read(into: packet), more else { break }
        guard let decoder = decoders[packet.streamIndex] else { continue }
        try? decoder.decode(packet, count)
    }
    for decoder in decoders.values { try? decoder.decode(nil, count) }
}
