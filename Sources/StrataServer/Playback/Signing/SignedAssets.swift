/// The signed assets as this server last read them from the database. Reads are numbered when they start, and an
/// answer older than the one already applied is dropped: with several API servers, a notification's reload may
/// overlap a write or another reload, and a read started earlier must never overwrite what a later one found.
struct SignedAssets: Sendable {
    private(set) var assets: Set<String>
    private var lastTicket: UInt64 = 0
    /// The read that `reloadAll` last applied to every asset.
    private var appliedToAll: UInt64 = 0
    /// Reads of one asset applied since then.
    private var applied: [String: UInt64] = [:]

    init(_ assets: Set<String>) { self.assets = assets }

    /// Numbers a read about to start.
    mutating func ticket() -> UInt64 {
        lastTicket += 1
        return lastTicket
    }

    /// Applies one asset's policy read under `ticket`, unless a later read of it was applied already.
    mutating func apply(_ policy: PlaybackPolicy, of asset: String, read ticket: UInt64) {
        guard ticket > max(appliedToAll, applied[asset] ?? 0) else { return }
        applied[asset] = ticket
        if policy == .signed { assets.insert(asset) } else { assets.remove(asset) }
    }

    /// Applies a read of every signed asset under `ticket`; assets read one by one after it started keep that answer.
    mutating func applyAll(_ signed: Set<String>, read ticket: UInt64) {
        guard ticket > appliedToAll else { return }
        let newer = applied.filter { $0.value > ticket }
        var next = signed
        for asset in newer.keys {
            if assets.contains(asset) { next.insert(asset) } else { next.remove(asset) }
        }
        assets = next
        appliedToAll = ticket
        applied = newer
    }
}
