/// The growing output of a decompression, which never holds more than `limit + 1` bytes: it starts
/// at a guess, doubles as the library asks for room, and throws
/// ``CompressionError/outputLimitExceeded(codec:limit:)`` as soon as more than `limit` bytes were
/// written (the one extra byte is how a library tells there is more).
struct BoundedOutput {
    private var bytes: [UInt8]
    private(set) var count = 0
    let codec: CompressionCodec
    let limit: Int
    /// `limit + 1`, the most bytes ever allocated.
    private let capacityLimit: Int

    init(codec: CompressionCodec, limit: Int, expected: Int) {
        self.codec = codec
        self.limit = limit
        capacityLimit = limit == Int.max ? Int.max : limit + 1
        bytes = [UInt8](repeating: 0, count: min(capacityLimit, max(expected, 256)))
    }

    /// Lets `body` write into the free space (at least one byte, at most `atMost`, passed as its
    /// second argument); `body` returns how many bytes it wrote.
    mutating func write(
        atMost: Int = Int.max, _ body: (UnsafeMutableRawPointer, Int) throws(CompressionError) -> Int
    ) throws(CompressionError) {
        if count == bytes.count {
            guard bytes.count < capacityLimit else { throw .outputLimitExceeded(codec: codec, limit: limit) }
            let grown = bytes.count > capacityLimit / 2 ? capacityLimit : max(bytes.count * 2, 4096)
            bytes.grow(to: min(grown, capacityLimit))
        }
        let room = min(bytes.count - count, atMost)
        let start = count
        let written = try bytes.withMutableBytes { (raw) throws(CompressionError) in
            try body(raw.baseAddress! + start, room)
        }
        count += written
        guard count <= limit else { throw .outputLimitExceeded(codec: codec, limit: limit) }
    }

    /// Lets `body` write exactly `size` more bytes (after checking they stay within the limit);
    /// `body` returns how many it wrote.
    mutating func write(
        exactly size: Int, _ body: (UnsafeMutableRawPointer) throws(CompressionError) -> Int
    ) throws(CompressionError) {
        guard size <= limit - count else { throw .outputLimitExceeded(codec: codec, limit: limit) }
        if bytes.count - count < size {
            let doubled = bytes.count > capacityLimit / 2 ? capacityLimit : bytes.count * 2
            bytes.grow(to: max(count + size, min(doubled, capacityLimit)))
        }
        let start = count
        let written = try bytes.withMutableBytes { (raw) throws(CompressionError) in
            try body(raw.baseAddress! + start)
        }
        count += written
        guard count <= limit else { throw .outputLimitExceeded(codec: codec, limit: limit) }
    }

    /// The bytes written.
    consuming func finish() -> [UInt8] {
        bytes.removeSubrange(count...)
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// Appends zeros up to `size` bytes: a new zeroed buffer and one copy, not a byte at a time.
    mutating func grow(to size: Int) {
        guard size > count else { return }
        var grown = [UInt8](repeating: 0, count: size)
        let old = count
        grown.withUnsafeMutableBytes { target in
            self.withUnsafeBytes { source in
                if old > 0 { target.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: old) }
            }
        }
        self = grown
    }

    /// `withUnsafeBytes` for a body that throws ``CompressionError``.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(CompressionError) -> R) throws(CompressionError) -> R {
        let result: Result<R, CompressionError> = withUnsafeBytes { bytes in
            Result { () throws(CompressionError) -> R in try body(bytes) }
        }
        return try result.get()
    }

    /// `withUnsafeMutableBytes` for a body that throws ``CompressionError``.
    @inline(__always)
    mutating func withMutableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(CompressionError) -> R
    ) throws(CompressionError) -> R {
        let result: Result<R, CompressionError> = withUnsafeMutableBytes { bytes in
            Result { () throws(CompressionError) -> R in try body(bytes) }
        }
        return try result.get()
    }
}

extension UnsafeRawBufferPointer {
    /// The first byte's address, or a valid dummy address for an empty buffer (C libraries want a
    /// non-null pointer even for zero bytes).
    var start: UnsafeRawPointer {
        baseAddress ?? UnsafeRawPointer(Self.emptyByte)
    }

    nonisolated(unsafe) private static let emptyByte: UnsafeMutableRawPointer = {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        pointer.storeBytes(of: 0, as: UInt8.self)
        return pointer
    }()

    /// The big-endian 32-bit integer at `offset`; the caller checked the bounds.
    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The little-endian 32-bit integer at `offset`; the caller checked the bounds.
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
