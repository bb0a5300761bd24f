import Testing

@testable import BrokerCore

struct CRC32CTests {
    /// Bit-at-a-time CRC-32C: the definition, to check the table-driven implementation against.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    /// Published CRC-32C check values (RFC 3720 appendix B.4 and the classic "123456789").
    @Test(arguments: [
        (Array("123456789".utf8), UInt32(0xE306_9283)),
        ([UInt8](), UInt32(0)),
        ([UInt8](repeating: 0, count: 32), UInt32(0x8A91_36AA)),
        ([UInt8](repeating: 0xFF, count: 32), UInt32(0x62A8_AB43)),
        ((0..<32).map { UInt8($0) }, UInt32(0x46DD_794E)),
        ((0..<32).reversed().map { UInt8($0) }, UInt32(0x113F_DB5C)),
    ])
    func knownVectors(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
        #expect(Self.reference(bytes) == expected)
    }

    /// Both implementations (the processor's instruction where this machine has it, and the
    /// slicing-by-8 tables) agree with the bitwise definition at every length and alignment.
    @Test func matchesReferenceAtEveryLengthAndAlignment() {
        var generator = SplitMix64(seed: 42)
        let data = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for start in 0..<9 {
            for length in 0...(data.count - start) where length < 40 || length % 17 == 0 {
                let slice = Array(data[start..<(start + length)])
                let crc = data.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                }
                let software = data.withUnsafeBytes {
                    CRC32C.softwareUpdate(0, with: UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                }
                #expect(crc == Self.reference(slice), "start \(start) length \(length)")
                #expect(software == Self.reference(slice), "software, start \(start) length \(length)")
            }
        }
    }

    /// The two implementations agree on large random buffers (a megabyte, as a batch could be).
    @Test func hardwareAndSoftwareAgreeOnLargeBuffers() {
        var generator = SplitMix64(seed: 7)
        let data = (0..<(1 << 20) + 13).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        data.withUnsafeBytes { raw in
            #expect(CRC32C.update(0x1234_5678, with: raw) == CRC32C.softwareUpdate(0x1234_5678, with: raw))
        }
    }

    /// On x86-64 every processor this project targets has SSE 4.2: the fast path is really taken.
    @Test func hardwarePathIsUsedOnX86() {
        #if arch(x86_64) && canImport(CCRC32C)
        #expect(CRC32C.usesHardware)
        #endif
    }

    /// Checksumming in pieces with `update` gives the same value as checksumming all at once.
    @Test func incrementalUpdateEqualsOneShot() {
        let data = Array("The quick brown fox jumps over the lazy dog, twice over.".utf8)
        for split in 0...data.count {
            let crc = data.withUnsafeBytes { raw in
                CRC32C.update(
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<split])),
                    with: UnsafeRawBufferPointer(rebasing: raw[split...]))
            }
            #expect(crc == CRC32C.checksum(data))
        }
    }
}
