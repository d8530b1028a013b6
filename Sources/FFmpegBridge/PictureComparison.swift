import CFFmpeg
import Foundation

/// Mean objective quality of a sequence of pictures against their references, as FFmpeg's filters report it.
public struct PictureQuality: Sendable, Hashable {
    /// Pictures compared.
    public var frames: Int
    /// PSNR in dB of the mean squared error over all planes (weighted by plane size), FFmpeg psnr's "average".
    public var psnr: Double
    /// PSNR in dB of the luma plane alone, FFmpeg psnr's "y".
    public var psnrY: Double
    /// Mean SSIM over all planes (FFmpeg ssim's "All"), 0…1.
    public var ssim: Double
    /// Mean SSIM of the luma plane, FFmpeg ssim's "Y".
    public var ssimY: Double

    /// PSNR shown for identical pictures (their error is zero and the ratio infinite).
    public static let identicalPSNR = 100.0
}

/// Compares distorted pictures with references through libavfilter's `psnr` and `ssim` filters
/// (the same code `ffmpeg -lavfi psnr/ssim` runs), accumulating the per-picture results.
///
/// Graph: `[distorted][reference₁] psnr → [reference₂] ssim → sink`, the reference split in two (or
/// `[distorted][reference] psnr → sink` without SSIM); each output picture carries the measurements in its metadata.
public final class PictureComparison {
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let distorted: UnsafeMutablePointer<AVFilterContext>
    private let reference: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    private let width: Int
    private let height: Int
    private var nextTimestamp: Int64 = 0
    private var frames = 0
    private var squaredError = 0.0, squaredErrorY = 0.0, ssim = 0.0, ssimY = 0.0

    /// Prepares to compare 8-bit 4:2:0 pictures of `width`×`height`.
    /// - Parameter ssim: measure SSIM as well as PSNR; without it the SSIM results are 0 and the comparison is cheaper.
    public init(width: Int, height: Int, threads: Int = 1, ssim measuresSSIM: Bool = true) throws(FFmpegError) {
        self.width = width
        self.height = height
        var graph: UnsafeMutablePointer<AVFilterGraph>? = try allocated(avfilter_graph_alloc(), "allocate a filter graph")
        do throws(FFmpegError) {
            let g = graph!
            g.pointee.nb_threads = Int32(threads)
            let source = "video_size=\(width)x\(height):pix_fmt=\(AV_PIX_FMT_YUV420P.rawValue):time_base=1/25:pixel_aspect=1/1"
            func make(_ filter: String, _ name: String, _ arguments: String?) throws(FFmpegError) -> UnsafeMutablePointer<AVFilterContext> {
                var context: UnsafeMutablePointer<AVFilterContext>? = nil
                try check(avfilter_graph_create_filter(&context, avfilter_get_by_name(filter), name, arguments, nil, g),
                          "create the \(filter) filter")
                return context!
            }
            distorted = try make("buffer", "distorted", source)
            reference = try make("buffer", "reference", source)
            let psnr = try make("psnr", "psnr", nil)
            sink = try make("buffersink", "sink", nil)
            try check(avfilter_link(distorted, 0, psnr, 0), "link psnr's main input")
            if measuresSSIM {
                let split = try make("split", "split", "2")
                let ssimFilter = try make("ssim", "ssim", nil)
                try check(avfilter_link(reference, 0, split, 0), "link the reference")
                try check(avfilter_link(split, 0, psnr, 1), "link psnr's reference")
                try check(avfilter_link(psnr, 0, ssimFilter, 0), "link ssim's main input")
                try check(avfilter_link(split, 1, ssimFilter, 1), "link ssim's reference")
                try check(avfilter_link(ssimFilter, 0, sink, 0), "link the sink")
            } else {
                try check(avfilter_link(reference, 0, psnr, 1), "link psnr's reference")
                try check(avfilter_link(psnr, 0, sink, 0), "link the sink")
            }
            try check(avfilter_graph_config(g, nil), "configure the quality filter graph")
        } catch {
            avfilter_graph_free(&graph)
            throw error
        }
        self.graph = graph
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// Compares one picture with its reference. Both must be `yuv420p` of the configured size; they are copied.
    public func compare(_ picture: Frame, with reference: Frame) throws(FFmpegError) {
        for (frame, name) in [(picture, "picture"), (reference, "reference")] {
            guard frame.width == width, frame.height == height, frame.pixelFormat == .yuv420p else {
                throw FFmpegError(operation: "compare pictures",
                                  message: "the \(name) is \(frame.width)x\(frame.height) \(frame.pixelFormat), expected \(width)x\(height) yuv420p")
            }
        }
        try push(picture, into: distorted)
        try push(reference, into: self.reference)
        nextTimestamp += 1
        try collect()
    }

    /// Ends the comparison and returns the means over every picture compared.
    public func finish() throws(FFmpegError) -> PictureQuality {
        try check(av_buffersrc_add_frame_flags(distorted, nil, 0), "end the distorted pictures")
        try check(av_buffersrc_add_frame_flags(reference, nil, 0), "end the reference pictures")
        try collect()
        let count = Double(max(frames, 1))
        func psnr(_ meanSquaredError: Double) -> Double {
            meanSquaredError > 0 ? min(10 * log10(255 * 255 / meanSquaredError), PictureQuality.identicalPSNR) : PictureQuality.identicalPSNR
        }
        return PictureQuality(frames: frames, psnr: psnr(squaredError / count), psnrY: psnr(squaredErrorY / count),
                              ssim: ssim / count, ssimY: ssimY / count)
    }

    /// An owned copy of `frame` stamped with the next timestamp, handed to `source`.
    private func push(_ frame: Frame, into source: UnsafeMutablePointer<AVFilterContext>) throws(FFmpegError) {
        // A copy, because the caller's buffers (a scaler's output) are reused for the next picture.
        let copy = try Frame.picture(width: width, height: height, format: .yuv420p)
        try check(av_frame_copy(copy.pointer, frame.pointer), "copy a picture to compare")
        copy.pointer.pointee.pts = nextTimestamp
        try check(av_buffersrc_add_frame_flags(source, copy.pointer, 0), "send a picture to compare")
    }

    private func collect() throws(FFmpegError) {
        let output = try Frame()
        while true {
            let status = av_buffersink_get_frame(sink, output.pointer)
            if status == .tryAgain || status == .endOfFile { return }
            try check(status, "measure a picture")
            frames += 1
            squaredError += metadata(output, "lavfi.psnr.mse_avg")
            squaredErrorY += metadata(output, "lavfi.psnr.mse.y")
            ssim += metadata(output, "lavfi.ssim.All")
            ssimY += metadata(output, "lavfi.ssim.Y")
            output.reset()
        }
    }

    private func metadata(_ frame: Frame, _ key: String) -> Double {
        guard let entry = av_dict_get(frame.pointer.pointee.metadata, key, nil, 0), let value = entry.pointee.value else { return 0 }
        return Double(String(cString: value)) ?? 0
    }
}
