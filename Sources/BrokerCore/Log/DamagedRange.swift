/// A stretch of a segment's log file that holds no valid batch, and the offsets it hides.
public struct DamagedRange: Hashable, Sendable {
    /// The segment's log file name (`<base offset>.log`).
    public var segmentFileName: String
    /// Where the damage starts in the file.
    public var position: Int
    /// How many bytes it spans (up to the next valid batch or the end of the file).
    public var length: Int
    /// The first offset hidden by the damage.
    public var firstOffset: Int64
    /// The last offset hidden by the damage; below ``firstOffset`` when it hides none (junk
    /// between two contiguous batches).
    public var lastOffset: Int64
    /// What is wrong with the first damaged batch.
    public var reason: String

    /// One past the damaged bytes.
    public var end: Int { position + length }

    /// Creates a damaged range.
    public init(
        segmentFileName: String, position: Int, length: Int, firstOffset: Int64, lastOffset: Int64, reason: String
    ) {
        self.segmentFileName = segmentFileName
        self.position = position
        self.length = length
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.reason = reason
    }
}
