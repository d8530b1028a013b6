/// Turns frames with arbitrary (variable, jittery) timestamps into a constant-rate sequence,
/// repeating or dropping frames: each output slot shows the latest frame whose time rounds to it or before.
struct ConstantFrameRate<Item> {
    /// Output frames per second.
    let rate: Double
    private var pending: Item?
    /// The next output slot to fill.
    private(set) var nextSlot = 0

    init(rate: Double) {
        self.rate = rate
    }

    /// Offers a frame shown from `seconds`; emits every slot the previous frame covers.
    mutating func push(_ item: Item, seconds: Double, emit: (Item, Int) throws -> Void) rethrows {
        let slot = self.slot(for: seconds)
        if let pending {
            while nextSlot < slot {
                try emit(pending, nextSlot)
                nextSlot += 1
            }
        }
        pending = item
    }

    /// Emits the last frame for every slot until `endSeconds`; a video of one frame still gets one slot.
    mutating func finish(endSeconds: Double, emit: (Item, Int) throws -> Void) rethrows {
        guard let pending else { return }
        let end = max(slot(for: endSeconds), nextSlot == 0 ? 1 : nextSlot)
        while nextSlot < end {
            try emit(pending, nextSlot)
            nextSlot += 1
        }
        self.pending = nil
    }

    /// The output slot a frame shown from `seconds` falls on.
    func slot(for seconds: Double) -> Int {
        Int((seconds * rate).rounded(.toNearestOrAwayFromZero))
    }
}
