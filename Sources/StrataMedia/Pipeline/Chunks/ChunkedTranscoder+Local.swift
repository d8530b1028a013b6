import Foundation

extension ChunkedTranscoder {
    /// Runs every unit of a chunked transcode here, one after another, as a cluster's workers would run them
    /// side by side: to check chunked output against a single run, or to time each chunk on one machine.
    /// The package appears at `request.outputDirectory` only when complete, like a single atomic run.
    /// - Parameter progress: the share of the whole job done, with the chunk being encoded.
    public func runHere(_ request: TranscodeRequest, segmentsPerChunk: Int, cancellation: TranscodeCancellation? = nil,
                        progress: ((TranscodeProgress) -> Void)? = nil) throws(TranscodeError) -> (TranscodeReport, [ChunkFacts]) {
        let startedAt = Date()
        let staging = try StagingDirectory(destination: request.outputDirectory, overwrite: request.overwrite)
        var inside = request
        inside.outputDirectory = staging.url
        inside.overwrite = true
        do throws(TranscodeError) {
            let plan = try self.plan(inside, segmentsPerChunk: segmentsPerChunk)
            let audio = try encodeAudio(of: inside, cancellation: cancellation)
            logger.info("audio encoded", metadata: ["seconds": "\(String(format: "%.2f", audio.wallSeconds))"])
            var chunks: [ChunkFacts] = []
            for chunk in plan.chunks {
                if cancellation?.isCancelled == true { throw TranscodeError(.cancelled, "the transcode was cancelled") }
                chunks.append(try encode(chunk: chunk.index, of: inside, cancellation: cancellation) { part in
                    var whole = part
                    whole.fraction = (Double(chunk.index) + part.fraction) / Double(plan.chunks.count)
                    whole.encodedSeconds = Double(chunk.frames.first) / plan.frameRate.doubleValue + part.encodedSeconds
                    whole.totalSeconds = max(plan.masterSeconds, whole.encodedSeconds)
                    whole.secondsRemaining = part.speed > 0 ? (whole.totalSeconds - whole.encodedSeconds) / part.speed : nil
                    progress?(whole)
                })
                logger.info("chunk encoded", metadata: ["chunk": "\(chunk.index + 1)/\(plan.chunks.count)",
                                                        "seconds": "\(String(format: "%.2f", chunks.last!.wallSeconds))"])
            }
            var report = try assemble(inside, startedAt: startedAt, cancellation: cancellation)
            try staging.commit()
            report.output = request.outputDirectory.path
            return (report, chunks)
        } catch {
            staging.discard()
            throw error
        }
    }
}
