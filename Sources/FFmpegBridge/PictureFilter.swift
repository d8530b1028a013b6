import CFFmpeg

/// A libavfilter chain that turns each picture into one new picture (e.g. `zscale`/`tonemap` tone mapping),
/// written as `ffmpeg -vf` would take it.
///
/// Graph: `buffer → <chain> → buffersink`. It is built for the first picture's size and format, and built
/// again if a later picture differs (a master may change resolution mid-stream).
public final class PictureFilter {
    /// The filter chain, e.g. `"zscale=t=linear,format=gbrpf32le"`.
    public let chain: String
    private let threads: Int
    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private var source: UnsafeMutablePointer<AVFilterContext>?
    private var sink: UnsafeMutablePointer<AVFilterContext>?
    private var inputKey: (width: Int, height: Int, format: PixelFormat)?

    /// - Parameter threads: slice threads the filters may use (0: one per core).
    public init(chain: String, threads: Int = 0) {
        self.chain = chain
        self.threads = threads
    }

    deinit {
        avfilter_graph_free(&graph)
    }

    /// The filtered picture for `picture`, which is left as it was.
    public func apply(to picture: Frame) throws(FFmpegError) -> Frame {
        if inputKey == nil || inputKey! != (picture.width, picture.height, picture.pixelFormat) {
            try build(for: picture)
        }
        // KEEP_REF: the graph takes its own reference, so the caller's picture stays valid and unchanged.
        try check(av_buffersrc_add_frame_flags(source, picture.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
                  "send a picture to the filter '\(chain)'")
        let output = try Frame()
        try check(av_buffersink_get_frame(sink, output.pointer), "filter a picture through '\(chain)'")
        return output
    }

    private func build(for picture: Frame) throws(FFmpegError) {
        avfilter_graph_free(&graph)
        (source, sink, inputKey) = (nil, nil, nil)
        var graph: UnsafeMutablePointer<AVFilterGraph>? = try allocated(avfilter_graph_alloc(), "allocate a filter graph")
        do throws(FFmpegError) {
            let g = graph!
            g.pointee.nb_threads = Int32(threads)
            let aspect = picture.sampleAspectRatio
            let arguments = "video_size=\(picture.width)x\(picture.height):pix_fmt=\(picture.pixelFormat.raw.rawValue)"
                + ":time_base=1/90000:pixel_aspect=\(max(aspect.numerator, 1))/\(max(aspect.denominator, 1))"
            var source: UnsafeMutablePointer<AVFilterContext>? = nil
            var sink: UnsafeMutablePointer<AVFilterContext>? = nil
            try check(avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", arguments, nil, g), "create the buffer source")
            try check(avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nil, nil, g), "create the buffer sink")
            // The chain's open input is fed by the source ("in"); its open output feeds the sink ("out").
            var outputs: UnsafeMutablePointer<AVFilterInOut>? = avfilter_inout_alloc()
            var inputs: UnsafeMutablePointer<AVFilterInOut>? = avfilter_inout_alloc()
            defer {
                // Parsing leaves whatever it did not link in these lists; they are ours to free.
                avfilter_inout_free(&outputs)
                avfilter_inout_free(&inputs)
            }
            guard let output = outputs, let input = inputs else {
                throw FFmpegError(operation: "allocate filter links", message: "out of memory")
            }
            output.pointee.name = av_strdup("in")
            output.pointee.filter_ctx = source
            input.pointee.name = av_strdup("out")
            input.pointee.filter_ctx = sink
            try check(avfilter_graph_parse_ptr(g, chain, &inputs, &outputs, nil), "parse the filter '\(chain)'")
            try check(avfilter_graph_config(g, nil),
                      "configure the filter '\(chain)' for \(picture.width)x\(picture.height) \(picture.pixelFormat)")
            self.source = source
            self.sink = sink
        } catch {
            avfilter_graph_free(&graph)
            throw error
        }
        self.graph = graph
        inputKey = (picture.width, picture.height, picture.pixelFormat)
    }
}
