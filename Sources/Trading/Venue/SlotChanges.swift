/// The trading records and asset balances a venue changed since its last
/// `SimulatedVenue.startChanges()`, each slot once, with the value it had before its first change.
///
/// A journal of the venue takes an operation's rows from here: its cost then follows the slots
/// the operation moved, not every account's every symbol. Nothing is noted until the first
/// `startChanges()`, so a venue nobody journals keeps no list.
public struct SlotChanges: Sendable {
    /// Trading records changed, by slot in `SimulatedVenue.tradingRecordSlots`, in the order of
    /// their first change.
    public private(set) var records: [(slot: Int, before: Position)] = []
    /// Asset balances changed, by slot in `SimulatedVenue.balanceSlots`, in the order of their
    /// first change.
    public private(set) var balances: [(slot: Int, before: AssetAmount)] = []
    /// False until the first `start()`.
    private var isNoting = false

    /// Empties the lists and notes changes from now on.
    mutating func start() {
        records.removeAll(keepingCapacity: true)
        balances.removeAll(keepingCapacity: true)
        isNoting = true
    }

    /// Forgets every change and notes none until the next `start()`: for a venue replaced whole.
    mutating func stop() {
        records.removeAll()
        balances.removeAll()
        isNoting = false
    }

    /// Notes that the record in `slot`, now `before`, is about to change.
    mutating func record(_ slot: Int, before: Position) {
        guard isNoting, !records.contains(where: { $0.slot == slot }) else { return }
        records.append((slot, before))
    }

    /// Notes that the balance in `slot`, now `before`, is about to change.
    mutating func balance(_ slot: Int, before: AssetAmount) {
        guard isNoting, !balances.contains(where: { $0.slot == slot }) else { return }
        balances.append((slot, before))
    }

    /// The record in `slot` before its first change since `start()`; nil when it has not changed.
    public func recordBefore(_ slot: Int) -> Position? {
        records.first(where: { $0.slot == slot })?.before
    }

    /// The balance in `slot` before its first change since `start()`; nil when it has not changed.
    public func balanceBefore(_ slot: Int) -> AssetAmount? {
        balances.first(where: { $0.slot == slot })?.before
    }
}
