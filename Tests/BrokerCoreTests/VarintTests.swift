import Testing

@testable import BrokerCore

struct VarintTests {
    static let knownVarints: [(Int32, [UInt8])] = [
        (0, [0x00]),
        (-1, [0x01]),
        (1, [0x02]),
        (-2, [0x03]),
        (63, [0x7e]),
        (-64, [0x7f]),
        (64, [0x80, 0x01]),
        (300, [0xd8, 0x04]),
        (Int32.max, [0xfe, 0xff, 0xff, 0xff, 0x0f]),
        (Int32.min, [0xff, 0xff, 0xff, 0xff, 0x0f]),
    ]
    static let int32Values: [Int32] = [
        Int32.min, Int32.min + 1, -1 << 28, -8192, -129, -65, -64, -1, 0, 1, 63, 64, 8191, 1 << 21, Int32.max,
    ]
    static let int64Values: [Int64] = [
        Int64.min, Int64.min + 1, -1 << 56, -1 << 35, -1, 0, 1, 1 << 35, 1_700_000_000_000, Int64.max,
    ]
    static let malformedVarints: [[UInt8]] = [
        [],
        [0x80],
        [0xff, 0xff],
        [0xff, 0xff, 0xff, 0xff],
        [0xff, 0xff, 0xff, 0xff, 0xff, 0x01],  // a fifth byte that still continues
    ]

    /// Zig-zag varints have the exact byte encodings of Kafka's ByteUtils.writeVarint.
    @Test(arguments: knownVarints)
    func knownEncodings(value: Int32, bytes: [UInt8]) throws {
        var encoded: [UInt8] = []
        Varint.appendVarint(value, to: &encoded)
        #expect(encoded == bytes)
        #expect(Varint.size(ofVarint: value) == bytes.count)
        var index = 0
        #expect(try Varint.readVarint(from: bytes, at: &index) == value)
        #expect(index == bytes.count)
    }

    /// Every 32-bit value in a spread of magnitudes survives encode → decode, and the size matches.
    @Test(arguments: int32Values)
    func varintRoundTrip(value: Int32) throws {
        var encoded: [UInt8] = [0xAA]  // a leading byte, to decode from a non-zero index
        Varint.appendVarint(value, to: &encoded)
        var index = 1
        #expect(try Varint.readVarint(from: encoded, at: &index) == value)
        #expect(index == encoded.count)
        #expect(encoded.count - 1 == Varint.size(ofVarint: value))
        // The pointer writer produces the same bytes.
        var buffer = [UInt8](repeating: 0, count: Varint.maxVarintSize)
        let written = buffer.withUnsafeMutableBytes { Varint.writeVarint(value, to: $0.baseAddress!) }
        #expect(Array(buffer[..<written]) == Array(encoded[1...]))
    }

    /// Every 64-bit value in a spread of magnitudes survives encode → decode, and the size matches.
    @Test(arguments: int64Values)
    func varlongRoundTrip(value: Int64) throws {
        var encoded: [UInt8] = []
        Varint.appendVarlong(value, to: &encoded)
        var index = 0
        #expect(try Varint.readVarlong(from: encoded, at: &index) == value)
        #expect(index == encoded.count)
        #expect(encoded.count == Varint.size(ofVarlong: value))
        #expect(encoded.count <= Varint.maxVarlongSize)
    }

    /// Truncated and over-long input throws corruptRecord instead of reading out of bounds.
    @Test(arguments: malformedVarints)
    func malformedVarintThrows(bytes: [UInt8]) {
        var index = 0
        #expect(throws: BrokerError.self) { try Varint.readVarint(from: bytes, at: &index) }
        #expect(index == 0)
    }

    /// A varlong longer than ten bytes, or cut short, throws.
    @Test func malformedVarlongThrows() {
        var index = 0
        #expect(throws: BrokerError.self) {
            try Varint.readVarlong(from: [UInt8](repeating: 0xff, count: 10) + [0x01], at: &index)
        }
        #expect(throws: BrokerError.self) { try Varint.readVarlong(from: [0x80, 0x80, 0x80], at: &index) }
        // Reading at or past the end throws too.
        var end = 3
        #expect(throws: BrokerError.self) { try Varint.readVarlong(from: [0x01, 0x02, 0x03], at: &end) }
    }

    /// Random bytes either decode or throw; decoding never reads past the end.
    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let count = Int(generator.next() % 12)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            var index = 0
            if let _ = try? Varint.readVarlong(from: bytes, at: &index) { #expect(index <= bytes.count) }
            index = 0
            if let _ = try? Varint.readVarint(from: bytes, at: &index) { #expect(index <= bytes.count) }
        }
    }
}
