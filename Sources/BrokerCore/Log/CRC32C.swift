#if canImport(CCRC32C)
import CCRC32C
#endif

/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78): the checksum of Kafka's
/// magic-2 record batches.
///
/// Uses the processor's CRC-32C instruction when it has one (SSE 4.2 on x86-64, the CRC extension
/// on 64-bit Arm; the `CCRC32C` C shim), else a software slicing-by-8 implementation: eight
/// 256-entry tables let the loop consume eight bytes per step with eight table lookups, instead
/// of one lookup per byte. Both give the same result (tested).
public enum CRC32C {
    /// Whether ``update(_:with:)`` uses the processor's instruction on this machine.
    public static let usesHardware: Bool = {
        #if canImport(CCRC32C)
        return skiff_crc32c_hw_available() == 1
        #else
        return false
        #endif
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, with: bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, with: $0) }
    }

    /// Continues a checksum: the CRC-32C of the bytes that gave `crc` followed by `bytes`.
    ///
    /// `update(update(0, with: a), with: b) == checksum(a + b)`.
    public static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        #if canImport(CCRC32C)
        if usesHardware {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
            return ~skiff_crc32c_hw_update(~crc, base, bytes.count)
        }
        #endif
        return softwareUpdate(crc, with: bytes)
    }

    /// ``update(_:with:)`` with the tables only, whatever the processor has (for tests and
    /// machines without the instruction).
    static func softwareUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard var pointer = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var remaining = bytes.count
        var crc = ~crc
        tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            // Byte at a time until the pointer is 8-byte aligned, so the main loop loads aligned words.
            while remaining > 0 && UInt(bitPattern: pointer) & 7 != 0 {
                crc = t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xff)] ^ (crc >> 8)
                pointer += 1
                remaining -= 1
            }
            while remaining >= 8 {
                let word = UInt64(littleEndian: pointer.load(as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word >> 32)
                crc =
                    t[7 * 256 + Int(low & 0xff)] ^ t[6 * 256 + Int((low >> 8) & 0xff)]
                    ^ t[5 * 256 + Int((low >> 16) & 0xff)] ^ t[4 * 256 + Int(low >> 24)]
                    ^ t[3 * 256 + Int(high & 0xff)] ^ t[2 * 256 + Int((high >> 8) & 0xff)]
                    ^ t[1 * 256 + Int((high >> 16) & 0xff)] ^ t[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(pointer.load(as: UInt8.self))) & 0xff)] ^ (crc >> 8)
                pointer += 1
                remaining -= 1
            }
        }
        return ~crc
    }

    /// Eight tables of 256 entries, flattened: `tables[k * 256 + b]` is the CRC of byte `b`
    /// followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            tables[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xff)]
            }
        }
        return tables
    }()
}
