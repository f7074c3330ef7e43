import Trading
import WireFormat
import WireProtocol

/// The rows of the `account.<name>` listings made so far, each kept with the fingerprint of the
/// source it was made from (`PositionViewSource`), so a listing makes again only the rows whose
/// position, base balance, resting orders or mark moved. After an order, that is the row of the
/// order's symbol; the others are the rows made before with the quote balance of now. A row
/// costs a view with its inventory check and a payload of a dozen decimals to make, and a
/// comparison of a few integers to reuse.
///
/// Made for one venue and one set of limits: `VenueBook` keeps both for its whole life. A row
/// kept for a slot is reused only for a source of the same account and symbol.
struct PositionRowMemo {
    /// By slot: the fingerprint each kept row was made from; nil where none was made yet.
    private var fingerprints: [PositionViewSource.Fingerprint?] = []
    /// By slot: the row made from the slot's fingerprint (a blank row where none was made).
    private var kept: [PositionPayload] = []

    /// Every row of `account` (as `VenueBook.positions(account:)` lists them), made or reused.
    mutating func rows(account: String, venue: SimulatedVenue, limits: InventoryLimits) -> [PositionPayload] {
        var rows: [PositionPayload] = []
        rows.reserveCapacity(venue.positionViewCount(account: account))
        venue.forEachPositionViewSource(account: account) { source in
            let slot = source.slot, fingerprint = source.fingerprint
            if slot >= kept.count {
                fingerprints.append(contentsOf: repeatElement(nil, count: slot + 1 - kept.count))
                kept.append(contentsOf: repeatElement(Self.blank, count: slot + 1 - kept.count))
            }
            if fingerprints[slot] == fingerprint, kept[slot].account == source.account, kept[slot].symbol == source.symbolName {
                // Copied once, into the listing, and given the quote balance of now there.
                rows.append(kept[slot])
                rows[rows.count - 1].quote = source.quoteBalance.wire
            } else {
                let row = VenueBook.payload(venue.view(of: source, limits: limits))
                fingerprints[slot] = fingerprint
                kept[slot] = row
                rows.append(row)
            }
        }
        return rows
    }

    /// What a slot holds before its first row is made.
    private static let blank = PositionPayload(account: "", symbol: "", base: 0, quote: 0, avgEntryPrice: 0, realizedPnl: 0,
                                               unrealizedPnl: 0, fees: 0, mark: nil)
}
