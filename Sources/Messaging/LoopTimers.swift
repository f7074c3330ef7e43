/// The deadlines of one `MessageLoop`, kept on its thread: a binary min-heap of actions by due
/// time (`LoopClock` nanoseconds). One heap per loop instead of a sleeping task per request; the
/// loop's poll waits no longer than the earliest deadline.
struct LoopTimers {
    private struct Entry {
        let due: Int64
        /// Insertion order, so timers due at the same instant fire in the order they were set.
        let order: UInt64
        let action: @Sendable () -> Void

        func fires(before other: Entry) -> Bool { due < other.due || (due == other.due && order < other.order) }
    }

    private var heap: [Entry] = []
    private var nextOrder: UInt64 = 0

    /// Timers set and not yet fired.
    var count: Int { heap.count }

    mutating func add(_ due: Int64, _ action: @escaping @Sendable () -> Void) {
        nextOrder &+= 1
        heap.append(Entry(due: due, order: nextOrder, action: action))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].fires(before: heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Milliseconds a poll may wait before the earliest timer is due: −1 with no timer, 0 when
    /// one is due already, rounded up otherwise so a poll never wakes just before its deadline.
    func pollTimeout(now: Int64) -> Int {
        guard let first = heap.first else { return -1 }
        guard first.due > now else { return 0 }
        let remaining = first.due - now
        return Int(remaining / 1_000_000 + (remaining % 1_000_000 == 0 ? 0 : 1))
    }

    /// Removes and returns the actions due at `now`, earliest first.
    mutating func takeDue(now: Int64) -> [@Sendable () -> Void] {
        var due: [@Sendable () -> Void] = []
        while let first = heap.first, first.due <= now {
            due.append(first.action)
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count && heap[left].fires(before: heap[first]) { first = left }
            if right < heap.count && heap[right].fires(before: heap[first]) { first = right }
            if first == parent { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
