// Small helpers for reading and writing big-endian integers in raw buffers, and typed-throwing
// wrappers around the standard library's `withUnsafe…Bytes` (which only rethrow `any Error`).
// Callers check bounds before using the unchecked accessors.

extension UnsafeRawBufferPointer {
    /// The big-endian integer at `offset`. The caller guarantees `offset + size ≤ count`.
    @inline(__always)
    func readBigEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Stores `value` big-endian at `offset`. The caller guarantees `offset + size ≤ count`.
    @inline(__always)
    func writeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws ``BrokerError``.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(BrokerError) -> R) throws(BrokerError) -> R {
        let result: Result<R, BrokerError> = withUnsafeBytes { bytes in
            Result { () throws(BrokerError) -> R in try body(bytes) }
        }
        return try result.get()
    }

    /// `withUnsafeMutableBytes` for a body that throws ``BrokerError``.
    @inline(__always)
    mutating func withMutableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(BrokerError) -> R
    ) throws(BrokerError) -> R {
        let result: Result<R, BrokerError> = withUnsafeMutableBytes { bytes in
            Result { () throws(BrokerError) -> R in try body(bytes) }
        }
        return try result.get()
    }

    /// The big-endian integer at `offset`, or `nil` when the array is too short.
    func readBigEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T? {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return nil }
        return withUnsafeBytes { $0.readBigEndian(at: offset) }
    }

    /// Appends `value` big-endian.
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// An array of `count` bytes whose contents are not initialised to anything in particular;
    /// for buffers that are about to be overwritten (reads, encoders).
    static func uninitialized(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
