/// Why a block could not be compressed or decompressed. Every failure of the C libraries and every
/// malformed input ends here: nothing traps.
public enum CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not valid data of the codec; `reason` says what is wrong (the library's
    /// message, or for example bytes after the end of the compressed data).
    case corrupt(codec: CompressionCodec, reason: String)
    /// The input ends before the compressed data does.
    case truncated(codec: CompressionCodec)
    /// Decompressing would produce more than `limit` bytes, the caller's maximum: nothing larger
    /// than that was allocated.
    case outputLimitExceeded(codec: CompressionCodec, limit: Int)
    /// A compression level outside what the codec accepts (``CompressionCodec/levels``).
    case invalidLevel(codec: CompressionCodec, level: Int32)
    /// The library failed for a reason other than the data, such as memory it could not get.
    case libraryFailure(codec: CompressionCodec, reason: String)

    /// The codec the error is about.
    public var codec: CompressionCodec {
        switch self {
        case .corrupt(let codec, _), .truncated(let codec), .outputLimitExceeded(let codec, _),
            .invalidLevel(let codec, _), .libraryFailure(let codec, _):
            codec
        }
    }

    public var description: String {
        switch self {
        case .corrupt(let codec, let reason):
            "\(codec) data is corrupt: \(reason)"
        case .truncated(let codec):
            "\(codec) data is truncated: the input ends before the compressed data does"
        case .outputLimitExceeded(let codec, let limit):
            "\(codec) data decompresses to more than \(limit) bytes, the limit"
        case .invalidLevel(let codec, let level):
            if let levels = codec.levels {
                "\(codec) compression level \(level) is outside \(levels.lowerBound)...\(levels.upperBound)"
            } else {
                "\(codec) has no compression levels (level \(level) given)"
            }
        case .libraryFailure(let codec, let reason):
            "\(codec) library failure: \(reason)"
        }
    }
}
