import ServiceLifecycle
import Synchronization
import WorkQueues

/// Runs work for one symbol strictly in arrival order while different symbols run concurrently,
/// with at most `capacity` pieces of work waiting per symbol.
///
/// A `Service`: each symbol's lane is a child task of `run()`, so nothing outlives it. On
/// graceful shutdown it stops taking work and returns once every lane has finished what was
/// queued, so each accepted signal still gets its decision. Place it before the services that
/// submit work (they stop first).
///
/// `submit` puts work straight into its symbol's lane, under the lane's own lock; only a
/// symbol's first piece of work also hands its new lane to `run()`, which starts the lane's task.
/// So a piece of work wakes one task, the lane's, on its way. A lane is a `SingleConsumerQueue`:
/// an `AsyncStream` per lane cost several thousand instructions per piece of work.
///
/// A piece of work may come with a preparation: what of it does not depend on the pieces before
/// it (a signal's analysis). As a lane starts a piece, it takes the piece next in line, if one
/// waits and has a preparation, and runs that preparation meanwhile, as a child task of the
/// lane's; the next piece's work starts once both have ended. When nothing waits as a piece
/// starts, the first piece offered while it runs is prepared as it comes instead, as a child
/// task of `run()`'s, and its work starts once that preparation has ended. So a piece is
/// prepared ahead whenever it waits behind a running piece, at most two preparations run per
/// lane at once (a piece's own, begun as it came, still running as the next piece's begins),
/// and work keeps its order. A piece that an idle lane takes, or that waits behind another
/// waiting piece that has no preparation, is not prepared ahead: its work must do what the
/// preparation would have done.
///
/// A piece's work may end with a conclusion: what must follow it, in order, but need not hold up
/// the piece after it (recording and publishing a decision). When a piece waits, its work starts
/// at once and the conclusion before it runs meanwhile, as another child of the lane's; the
/// conclusions of a lane run one after the other, each once the one before it has ended, so what
/// they publish keeps the lane's order. With nothing waiting, the lane runs the conclusion before
/// it waits for more.
public final class SymbolLanes: Service {
    /// One piece of work, returning its conclusion, if it has one.
    public typealias Work = @Sendable () async -> Conclusion?
    /// What of a piece of work may run while the piece before it in its lane runs.
    public typealias Preparation = @Sendable () async -> Void
    /// What follows a piece of work, in the lane's order, while the next piece's work runs.
    public typealias Conclusion = @Sendable () async -> Void

    /// What became of work offered to a lane.
    public enum Admission: Sendable, Equatable {
        /// Queued behind `ahead` pieces of work of the same symbol.
        case queued(ahead: Int)
        /// Refused: `waiting` pieces of work already wait for the symbol.
        case full(waiting: Int)
        /// Refused: the lanes have stopped taking work.
        case stopped
    }

    /// Pieces of work that may wait per symbol, besides one taken ahead to be prepared as the
    /// piece before it started (a piece prepared as it came still waits, and counts).
    public let capacity: Int
    /// What `run()` starts a child task for: a lane just made, or the preparation of a piece
    /// offered while the piece before it runs.
    private enum Start: Sendable {
        case lane(Lane)
        case preparation(Preparation, PreparationEnd)
    }
    private let newTasks: AsyncStream<Start>
    private let starts: AsyncStream<Start>.Continuation
    /// A piece of work and its preparation, if it has one.
    private struct Piece: Sendable {
        let work: Work
        let preparation: Preparation?
    }
    /// Every symbol's lane, and whether the lanes have stopped taking work.
    private let state = Mutex<(lanes: [String: Lane], stopped: Bool)>(([:], false))

    /// Lanes that take work as soon as `run()` runs, at most `capacity` waiting per symbol.
    public init(capacity: Int = .max) {
        self.capacity = max(1, capacity)
        (newTasks, starts) = AsyncStream.makeStream()
    }

    /// How many symbols have a lane (each a task and its queue, kept while the lanes run).
    public var count: Int { state.withLock { $0.lanes.count } }

    /// Queues `work` behind everything already queued for `symbol`, unless `capacity` pieces
    /// already wait for it or the lanes have stopped (then the work is not run). A
    /// `preparation`, if given, runs at most once, before `work` and while the piece before it
    /// runs (see the type's notes); `work` must not count on it having run. The conclusion
    /// `work` returns runs after the conclusions of the pieces before it, possibly while the
    /// next piece's work runs.
    @discardableResult
    public func submit(_ symbol: String, preparing preparation: Preparation? = nil, _ work: @escaping Work) -> Admission {
        let lane = state.withLock { state -> Lane? in
            guard !state.stopped else { return nil }
            if let existing = state.lanes[symbol] { return existing }
            let lane = Lane(capacity: capacity)
            guard case .enqueued = starts.yield(.lane(lane)) else { return nil }
            state.lanes[symbol] = lane
            return lane
        }
        // A lane finished by a shutdown after this look-up refuses the work itself.
        guard let lane else { return .stopped }
        let (offer, claimed) = lane.offer(Piece(work: work, preparation: preparation))
        if let preparation, let claimed {
            switch starts.yield(.preparation(preparation, claimed)) {
            case .enqueued: break
            // `run()` has stopped starting tasks: the piece is not prepared ahead after all.
            case .dropped, .terminated: claimed.end()
            @unknown default: claimed.end()
            }
        }
        switch offer {
        case .queued(let ahead): return .queued(ahead: ahead)
        case .full: return .full(waiting: capacity)
        case .ended: return .stopped
        }
    }

    /// Runs a lane's pieces in order until it ends: each next one's preparation, and the
    /// conclusion of the one before, while a piece's work runs.
    private static func drain(_ lane: Lane) async {
        var next = await lane.queue.next()
        var conclusion: Conclusion?
        // The preparation `next` got as it came, while the piece before it ran.
        var preparedAsItCame: PreparationEnd?
        while let piece = next {
            let following = lane.queue.take(ifNext: { $0.preparation != nil })
            // Nothing to prepare meanwhile: the first piece offered while this one runs is.
            if following == nil { lane.prepareWhatComes() }
            let work: Work
            if let preparedAsItCame {
                work = {
                    await preparedAsItCame.wait()
                    return await piece.work()
                }
            } else {
                work = piece.work
            }
            conclusion = await run(work, after: conclusion, preparing: following?.preparation)
            let claimed = lane.stopPreparingWhatComes()
            if let following {
                (next, preparedAsItCame) = (following, nil)
            } else if let waiting = lane.queue.take(ifNext: { _ in true }) {
                // A claimed piece was offered as the only one waiting, and nothing has been
                // taken since: it is this one.
                (next, preparedAsItCame) = (waiting, claimed)
            } else {
                await conclusion?()
                conclusion = nil
                (next, preparedAsItCame) = (await lane.queue.next(), nil)
            }
        }
        await conclusion?()
    }

    /// Runs `work`, with `concluding` (the conclusion of the piece before) and `preparation`
    /// (the next piece's) as child tasks meanwhile; returns `work`'s conclusion once all three
    /// have ended. A child task is made only for what there is to run.
    private static func run(_ work: Work, after concluding: Conclusion?, preparing preparation: Preparation?) async -> Conclusion? {
        switch (concluding, preparation) {
        case (nil, nil):
            return await work()
        case (let concluding?, nil):
            async let concluded: Void = concluding()
            let conclusion = await work()
            await concluded
            return conclusion
        case (nil, let preparation?):
            async let prepared: Void = preparation()
            let conclusion = await work()
            await prepared
            return conclusion
        case (let concluding?, let preparation?):
            async let concluded: Void = concluding()
            async let prepared: Void = preparation()
            let conclusion = await work()
            await concluded
            await prepared
            return conclusion
        }
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await start in newTasks {
                    switch start {
                    case .lane(let lane):
                        group.addTask { await Self.drain(lane) }
                    case .preparation(let preparation, let end):
                        group.addTask {
                            await preparation()
                            end.end()
                        }
                    }
                }
                // No more lanes: each one finishes what it holds, and the group waits for them.
            }
        } onGracefulShutdown: {
            self.state.withLock { state in
                state.stopped = true
                for lane in state.lanes.values { lane.queue.finish() }
            }
            self.starts.finish()
        }
    }
}

extension SymbolLanes {
    /// A symbol's work not yet started, taken by its lane's task in order, and whether the piece
    /// offered next is to be prepared as it comes.
    private final class Lane: Sendable {
        let queue: SingleConsumerQueue<Piece>
        /// Open while the lane's running piece has no next piece being prepared; `claimed`, the
        /// end of the preparation of the piece offered meanwhile, until the lane takes it.
        private let asItComes = Mutex<(open: Bool, claimed: PreparationEnd?)>((false, nil))

        init(capacity: Int) { queue = SingleConsumerQueue(capacity: capacity) }

        /// Queues `piece`; when it is the only one waiting, has a preparation and the lane is
        /// open to one, also claims the lane's preparation for it and returns that
        /// preparation's end, for the caller to start it. Under the lane's lock, so the lane
        /// cannot take the piece between the two.
        func offer(_ piece: Piece) -> (SingleConsumerQueue<Piece>.Offer, claimed: PreparationEnd?) {
            asItComes.withLock { asItComes in
                let offer = queue.offer(piece)
                guard asItComes.open, piece.preparation != nil, case .queued(ahead: 0) = offer else { return (offer, nil) }
                let end = PreparationEnd()
                asItComes = (false, end)
                return (offer, end)
            }
        }

        /// The next piece offered, if it is the only one waiting, is prepared as it comes.
        func prepareWhatComes() {
            asItComes.withLock { $0 = (true, nil) }
        }

        /// No piece is prepared as it comes any more; the end of the preparation of the one
        /// that was, if one was.
        func stopPreparingWhatComes() -> PreparationEnd? {
            asItComes.withLock { asItComes in
                defer { asItComes = (false, nil) }
                return asItComes.claimed
            }
        }
    }

    /// When a preparation started as its piece came has ended, for that piece's work to wait for.
    private final class PreparationEnd: Sendable {
        private let state = Mutex<(ended: Bool, waiter: UnsafeContinuation<Void, Never>?)>((false, nil))

        /// The preparation has ended (or will not run): resumes the work waiting for it.
        func end() {
            let waiter = state.withLock { state in
                state.ended = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        /// Returns once the preparation has ended; at once when the waiting task is cancelled
        /// (`run()` cancelled, so its preparation may never start).
        func wait() async {
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (waiter: UnsafeContinuation<Void, Never>) in
                    let ended = state.withLock { state -> Bool in
                        guard !state.ended else { return true }
                        state.waiter = waiter
                        return false
                    }
                    if ended { waiter.resume() }
                }
            } onCancel: {
                end()
            }
        }
    }
}
