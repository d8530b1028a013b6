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
    /// Plans the profile's crops and reads the operator's crop paths, before any work, so a bad crop name or path
    /// file is refused at once; none without crops.
    func plannedCrops(_ request: TranscodeRequest, plan: LadderPlan, masterSeconds: Double) throws(TranscodeError) -> PlannedCrops {
        guard let specs = request.profile.crops, !specs.isEmpty else {
            if let name = request.cropPaths.keys.sorted().first {
                throw TranscodeError(.invalidSidecar, "the profile has no crops, so --crop-path \(name)=… has nothing to apply to")
            }
            return PlannedCrops(crops: [], given: [:])
        }
        let crops = specs.map { PlannedCrop(spec: $0, profile: request.profile, displayWidth: plan.displayWidth, displayHeight: plan.displayHeight) }
        for crop in crops where !crop.droppedHeights.isEmpty {
            logger.info("skipping crop rungs larger than the crop window", metadata: [
                "crop": "\(crop.spec.name)", "heights": "\(crop.droppedHeights.map(String.init).joined(separator: ","))"])
        }
        for name in request.cropPaths.keys.sorted() where !crops.contains(where: { $0.spec.name == name }) {
            throw TranscodeError(.invalidSidecar, "the profile has no crop named '\(name)' (it has: \(crops.map(\.spec.name).joined(separator: ", ")))")
        }
        var given: [String: CameraPath] = [:]
        let expectedFrames = Int((masterSeconds * plan.frameRate.doubleValue).rounded())
        for crop in crops {
            guard let url = request.cropPaths[crop.spec.name] else { continue }
            let path = try CropPathFile.read(url, for: crop, sourceWidth: plan.displayWidth, sourceHeight: plan.displayHeight)
            // A path shorter than the video holds its last window to the end; say so, since it is likely a stale file.
            if path.windows.count + Int(plan.frameRate.doubleValue.rounded()) < expectedFrames {
                logger.warning("the crop path is shorter than the video; its last window is held to the end", metadata: [
                    "crop": "\(crop.spec.name)", "windows": "\(path.windows.count)", "frames": "\(expectedFrames)"])
            }
            given[crop.spec.name] = path
        }
        return PlannedCrops(crops: crops, given: given)
    }

    /// Runs the analysis pass that gives the camera paths the operator did not give; none without crops.
    func smartCrops(_ planned: PlannedCrops, request: TranscodeRequest, plan: LadderPlan) throws(TranscodeError) -> (jobs: [CropJob], analysisSeconds: Double?) {
        var analysis: SubjectAnalysis.Result?
        if planned.crops.contains(where: { planned.given[$0.spec.name] == nil }) {
            do {
                analysis = try SubjectAnalysis.run(masterPath: request.masterPath, plan: plan, logger: logger)
            } catch {
                throw TranscodeError(describing: error)
            }
        }
        let jobs = planned.crops.map { crop in
            CropJob(plan: crop, path: planned.given[crop.spec.name] ?? CameraPath(
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
                let encoder = try VideoEncoderFactory.open(encoderSettings, for: "crop \(job.plan.spec.name) rung \(rendition.spec.name)")
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

/// The profile's crops, planned for this master, with the camera paths the operator gave.
struct PlannedCrops {
    var crops: [PlannedCrop]
    var given: [String: CameraPath]
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
                  values[0] <= sourceWidth - values[2], values[1] <= sourceHeight - values[3] else {
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
