/// The full-screen value view (`V`): one record, pinned when it opened (a live tail moving the
/// messages screen's cursor does not change what is being read), scrolled a line or a page at a time.
public struct ValueViewState: Hashable, Sendable {
    /// The record shown.
    public internal(set) var row: MessageRow
    /// The value's format; nil = chosen for the value.
    public internal(set) var format: PayloadFormat?
    /// Whether the key is shown as hex bytes.
    public internal(set) var keyAsHex: Bool
    /// The first line shown.
    public internal(set) var scroll = 0
    /// The lines for the current width (see ``AppState/syncDetail()``).
    public internal(set) var detail: DetailText?

    /// The view of `row`, in the messages screen's format.
    init(row: MessageRow, format: PayloadFormat?, keyAsHex: Bool) {
        self.row = row
        self.format = format
        self.keyAsHex = keyAsHex
    }
}
