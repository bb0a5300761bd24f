// Kafka's record batch compression codecs, in the formats Kafka's clients write (the Java client's
// org.apache.kafka.common.compress and librdkafka). The compressed block is everything after a
// magic-2 batch's 61-byte header; the codec is attribute bits 0-2.
//
//   codec   format written                                   formats read
//   gzip    RFC 1952, one member (zlib, level 6)             gzip members, one after another
//   snappy  xerial framing, 32 KiB blocks (as Java writes)   xerial framing, or one raw block (librdkafka)
//   lz4     LZ4 frame: 64 KiB independent blocks,            LZ4 frame; a header checksum computed over the
//           no checksums (as Java writes)                    magic too (old Kafka, librdkafka's legacy mode)
//   zstd    one frame with its content size (level 3)        frames, with or without a content size
//
// Decompression never allocates more than the caller's limit (plus one byte): a small input that
// inflates past it throws `CompressionError.outputLimitExceeded` (a decompression bomb).

/// A Kafka compression codec, numbered as in a record batch's attributes (bits 0-2).
public enum CompressionCodec: Int16, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No compression: the records are stored as they are.
    case none = 0
    /// gzip (RFC 1952).
    case gzip = 1
    /// Snappy, in the xerial (snappy-java) framing or as one raw block.
    case snappy = 2
    /// LZ4, in the LZ4 frame format.
    case lz4 = 3
    /// Zstandard frames.
    case zstd = 4

    /// The codec of a record batch's `attributes` (bits 0-2), or `nil` for the unassigned codes 5-7.
    public init?(attributes: Int16) {
        self.init(rawValue: attributes & 0x07)
    }

    /// Kafka's name for the codec, as in the `compression.type` setting (`"gzip"`).
    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// The compression levels the codec accepts (Kafka's `compression.<codec>.level` ranges), or
    /// `nil` when it has none (none, snappy).
    public var levels: ClosedRange<Int32>? {
        switch self {
        case .none, .snappy: nil
        case .gzip: 1...9
        case .lz4: 1...17
        case .zstd: -131_072...22
        }
    }
}

/// How ``CompressionCodec/compress(_:level:snappyFraming:)`` writes snappy.
public enum SnappyFraming: Hashable, Sendable {
    /// The xerial (snappy-java) stream: a 16-byte header, then blocks of 32 KiB of input, each as
    /// a big-endian 32-bit length and a raw snappy block. What the Java client and kafka-python write.
    case xerial
    /// One raw snappy block, as librdkafka writes.
    case raw
}
