import FFmpegBridge
import Foundation
import StrataManifest
import StrataProfiles

/// A crop presentation ready to encode: its rungs and the camera path every rung follows.
struct CropJob: Sendable {
    var plan: PlannedCrop
    var path: CameraPath
}

extension Transcoder {
    /// Plans the profile's crops and runs the analysis pass that gives their camera paths; none without crops.
    func smartCrops(_ request: TranscodeRequest, plan: LadderPlan) throws(TranscodeError) -> (jobs: [CropJob], analysisSeconds: Double?) {
        guard let specs = request.profile.crops, !specs.isEmpty else { return ([], nil) }
        let crops = specs.map { PlannedCrop(spec: $0, profile: request.profile, displayWidth: plan.displayWidth, displayHeight: plan.displayHeight) }
        for crop in crops where !crop.droppedHeights.isEmpty {
            logger.info("skipping crop rungs larger than the crop window", metadata: [
                "crop": "\(crop.spec.name)", "heights": "\(crop.droppedHeights.map(String.init).joined(separator: ","))"])
        }
        for name in request.cropPaths.keys where !crops.contains(where: { $0.spec.name == name }) {
            throw TranscodeError(.invalidSidecar, "the profile has no crop named '\(name)' (it has: \(crops.map(\.spec.name).joined(separator: ", ")))")
        }
        var given: [String: CameraPath] = [:]
        for crop in crops {
            if let url = request.cropPaths[crop.spec.name] {
                given[crop.spec.name] = try CropPathFile.read(url, for: crop, sourceWidth: plan.displayWidth, sourceHeight: plan.displayHeight)
            }
        }
        var analysis: SubjectAnalysis.Result?
        if crops.contains(where: { given[$0.spec.name] == nil }) {
            do {
                analysis = try SubjectAnalysis.run(masterPath: request.masterPath, plan: plan, logger: logger)
            } catch {
                throw TranscodeError(describing: error)
            }
        }
        let jobs = crops.map { crop in
            CropJob(plan: crop, path: given[crop.spec.name] ?? CameraPath(
                saliency: analysis!.saliency, sourceWidth: plan.displayWidth, sourceHeight: plan.displayHeight,
                width: crop.windowWidth, height: crop.windowHeight, frameRate: plan.frameRate.doubleValue))
        }
        return (jobs, analysis?.seconds)
    }

    /// Adds one encoding stage per crop rung, fed from the same decoded pictures as the ladder and cutting each
    /// from the full-resolution frame along the crop's path; same keyframe schedule, so segments line up.
    /// Returns the queues the source must feed.
    func addCropStages(_ jobs: [CropJob], to pipeline: TranscodePipeline, plan: LadderPlan, root: URL,
                       settings: CropStageSettings) throws -> [BoundedQueue<DecodedVideoFrame>] {
        var queues: [BoundedQueue<DecodedVideoFrame>] = []
        var index = plan.renditions.count
        let geometry = DisplayGeometry(displayWidth: plan.displayWidth, displayHeight: plan.displayHeight, rotation: plan.rotation)
        for (cropIndex, job) in jobs.enumerated() {
            for (rungIndex, rendition) in job.plan.renditions.enumerated() {
                let queue: BoundedQueue<DecodedVideoFrame> = pipeline.queue(capacity: settings.queueCapacity)
                queues.append(queue)
                let encoderSettings = VideoEncoderFactory.settings(for: rendition, frameRate: plan.frameRate, schedule: settings.schedule,
                                                                   color: settings.color, threads: settings.encoderThreads)
                let encoder: Encoder
                do {
                    encoder = try Encoder(video: encoderSettings)
                } catch {
                    throw TranscodeError(.encoding, "cannot open \(encoderSettings.encoderName) for crop \(job.plan.spec.name) rung \(rendition.spec.name): \(error.message)")
                }
                let reorderDelay = encoder.reorderDelay
                let directory = "\(job.plan.directory)/video/\(rendition.spec.name)"
                let stage = try VideoRenditionStage(
                    index: index, rendition: rendition, input: queue, encoder: encoder, rotation: plan.rotation, scaling: settings.scaling,
                    schedule: settings.schedule, frameRate: plan.frameRate, directory: root.appendingPathComponent(directory),
                    relativeDirectory: directory, crop: (job.path, geometry))
                pipeline.addCropVideo(stage, reorderDelay: reorderDelay, crop: cropIndex, rung: rungIndex)
                index += 1
            }
        }
        return queues
    }

    /// The crops' facts once encoded, after writing each crop's camera path next to its manifests.
    func cropFacts(_ jobs: [CropJob], results: StageResults, plan: LadderPlan, root: URL) throws -> [CropFacts]? {
        guard !jobs.isEmpty else { return nil }
        return try jobs.enumerated().map { cropIndex, job in
            let facts = CropFacts(name: job.plan.spec.name, aspect: job.plan.spec.aspect, windowWidth: job.plan.windowWidth,
                                  windowHeight: job.plan.windowHeight, video: results.cropTracks(cropIndex), shotStarts: job.path.shotStarts)
            let file = CropPathFile(crop: job.plan, path: job.path, frameRate: FrameRate(Int(plan.frameRate.numerator), Int(plan.frameRate.denominator)),
                                    sourceWidth: plan.displayWidth, sourceHeight: plan.displayHeight)
            let url = root.appendingPathComponent(facts.pathFile)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ManifestWriter.writeJSON(file, to: url)
            return facts
        }
    }
}

/// What every crop stage shares with the ladder's stages.
struct CropStageSettings {
    var schedule: KeyframeSchedule
    var color: ColorDescription
    var encoderThreads: Int
    var scaling: ScalingFilter
    var queueCapacity: Int
}

/// `crops/<name>/path.json`: the camera path an operator can inspect, one window per output frame.
struct CropPathFile: Codable {
    var name: String
    var aspect: String
    /// The master's displayed size, the coordinate space of every window.
    var sourceWidth: Int
    var sourceHeight: Int
    var frameRate: FrameRate
    /// Frames that start a shot; the window may jump only there.
    var shotStarts: [Int]
    /// Frame `i`'s window as `[x, y, width, height]`.
    var windows: [[Int]]

    /// An operator's path for `crop` (an edited `path.json`), checked window by window: the crop's window size,
    /// inside the picture; odd positions are moved down to even ones, as 4:2:0 needs.
    static func read(_ url: URL, for crop: PlannedCrop, sourceWidth: Int, sourceHeight: Int) throws(TranscodeError) -> CameraPath {
        let label = "--crop-path \(crop.spec.name)=\(url.path)"
        guard let data = FileManager.default.contents(atPath: url.path) else { throw TranscodeError(.invalidSidecar, "\(label): cannot read the file") }
        let file: CropPathFile
        do {
            file = try JSONDecoder().decode(CropPathFile.self, from: data)
        } catch {
            throw TranscodeError(.invalidSidecar, "\(label): not a crop path (JSON with shotStarts and windows, as path.json): \(error)")
        }
        guard !file.windows.isEmpty else { throw TranscodeError(.invalidSidecar, "\(label): no windows") }
        var windows: [CropWindow] = []
        for (number, values) in file.windows.enumerated() {
            guard values.count == 4, values[2] == crop.windowWidth, values[3] == crop.windowHeight, values[0] >= 0, values[1] >= 0,
                  values[0] + values[2] <= sourceWidth, values[1] + values[3] <= sourceHeight else {
                throw TranscodeError(.invalidSidecar, "\(label): window \(number) \(values) is not a \(crop.windowWidth)x\(crop.windowHeight) window inside the \(sourceWidth)x\(sourceHeight) picture")
            }
            windows.append(CropWindow(x: values[0] & ~1, y: values[1] & ~1, width: values[2], height: values[3]))
        }
        return CameraPath(windows: windows, shotStarts: file.shotStarts)
    }

    init(crop: PlannedCrop, path: CameraPath, frameRate: FrameRate, sourceWidth: Int, sourceHeight: Int) {
        name = crop.spec.name
        aspect = crop.spec.aspect
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.frameRate = frameRate
        shotStarts = path.shotStarts
        windows = path.windows.map { [$0.x, $0.y, $0.width, $0.height] }
    }
}
