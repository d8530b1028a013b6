extension ProfileParser {
    static let chunkingKeys = ["min_master_seconds", "segments_per_chunk"]

    /// `chunking: {min_master_seconds: 120, segments_per_chunk: 10}`, or `chunking: false` to never chunk.
    static func readChunking(_ node: DocumentNode?) throws(ProfileError) -> ChunkingSpec {
        guard let node else { return ChunkingSpec() }
        if case .scalar = node.node {
            return try node.boolean() ? ChunkingSpec() : ChunkingSpec(minMasterSeconds: nil)
        }
        let mapping = try node.mapping(allowedKeys: chunkingKeys)
        var spec = ChunkingSpec()
        if let seconds = try mapping["min_master_seconds"]?.number(in: 10...86_400) { spec.minMasterSeconds = seconds }
        if let segments = try mapping["segments_per_chunk"]?.integer(in: 1...1000) { spec.segmentsPerChunk = segments }
        return spec
    }
}
