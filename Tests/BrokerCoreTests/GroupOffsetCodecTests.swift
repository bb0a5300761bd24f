import BrokerCore
import Testing

@Suite struct GroupOffsetCodecTests {
    private let key = OffsetCommitKey(group: "g", topicPartition: .tp("t", 258))
    private let value = OffsetCommitValue(offset: 0x0102, leaderEpoch: -1, metadata: "m", commitTimestamp: 5)

    /// Keys and values encode big-endian with int16-length-prefixed strings, byte for byte as Kafka's v1 key and v3 value.
    @Test func exactBytes() throws {
        #expect(try key.encode() == [0, 1, 0, 1, 0x67, 0, 1, 0x74, 0, 0, 1, 2])
        #expect(
            try value.encode() == [
                0, 3,
                0, 0, 0, 0, 0, 0, 1, 2,
                0xff, 0xff, 0xff, 0xff,
                0, 1, 0x6d,
                0, 0, 0, 0, 0, 0, 0, 5,
            ])
    }

    /// Entries survive an encode/decode round trip, including tombstones, Unicode and extreme values.
    @Test func roundTrip() throws {
        let entries = [
            OffsetCommitEntry(key: key, value: value),
            OffsetCommitEntry(key: key, value: nil),
            OffsetCommitEntry(
                key: OffsetCommitKey(group: "trading-strategy.abc ü 株", topicPartition: .tp("", Int32.max)),
                value: OffsetCommitValue(
                    offset: Int64.max, leaderEpoch: Int32.min, metadata: String(repeating: "é", count: 2000),
                    commitTimestamp: Int64.min)),
        ]
        for entry in entries {
            let (keyBytes, valueBytes) = try entry.encode()
            #expect(try OffsetCommitEntry.decode(key: keyBytes, value: valueBytes) == entry)
            #expect((valueBytes == nil) == entry.isTombstone)
        }
    }

    /// Version 0 keys (same layout as version 1) are read too.
    @Test func readsVersionZeroKeys() throws {
        var bytes = try key.encode()
        bytes[1] = 0
        #expect(try OffsetCommitKey.decode(bytes) == key)
    }

    /// Every truncation of a valid key or value throws corruptRecord; none crashes.
    @Test func truncationsThrow() throws {
        for bytes in [try key.encode(), try value.encode()] {
            for length in 0..<bytes.count {
                let prefix = Array(bytes[..<length])
                expectCorrupt { () throws(BrokerError) in _ = try OffsetCommitKey.decode(prefix) }
                expectCorrupt { () throws(BrokerError) in _ = try OffsetCommitValue.decode(prefix) }
            }
        }
    }

    /// Unsupported versions, negative lengths, invalid UTF-8 and trailing bytes are rejected.
    @Test func malformedBytesThrow() throws {
        let keyBytes = try key.encode()
        let valueBytes = try value.encode()
        let cases: [(String, [UInt8], Bool)] = [
            ("key version 2 (group metadata)", [0, 2] + keyBytes.dropFirst(2), true),
            ("key version -1", [0xff, 0xff] + keyBytes.dropFirst(2), true),
            ("negative string length", [0, 1, 0xff, 0xfe, 0x67], true),
            ("invalid UTF-8", [0, 1, 0, 1, 0xff, 0, 0, 0, 0, 0, 0], true),
            ("trailing key bytes", keyBytes + [0], true),
            ("value version 1", [0, 1] + valueBytes.dropFirst(2), false),
            ("trailing value bytes", valueBytes + [9, 9], false),
            ("huge string length", [0, 3] + Array(repeating: 0, count: 12) + [0x7f, 0xff], false),
        ]
        for (name, bytes, isKey) in cases {
            if isKey {
                expectCorrupt(name) { () throws(BrokerError) in _ = try OffsetCommitKey.decode(bytes) }
            } else {
                expectCorrupt(name) { () throws(BrokerError) in _ = try OffsetCommitValue.decode(bytes) }
            }
        }
    }

    /// Random bytes and random mutations of valid records never crash the decoder.
    @Test func randomBytesNeverCrash() throws {
        var random = SplitMix64(seed: 7)
        let valid = [try key.encode(), try value.encode()]
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = valid[round % 4 / 2]
                for _ in 0..<Int(random.next() % 3 + 1) {
                    bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            _ = try? OffsetCommitKey.decode(bytes)
            _ = try? OffsetCommitValue.decode(bytes)
        }
    }

    /// Strings longer than an int16 length can say are refused at encoding instead of being truncated.
    @Test func overlongStringsRefused() {
        let long = String(repeating: "x", count: Int(Int16.max) + 1)
        #expect(throws: BrokerError.self) {
            try OffsetCommitKey(group: long, topicPartition: .tp("t", 0)).encode()
        }
        #expect(throws: BrokerError.self) {
            try OffsetCommitValue(offset: 0, metadata: long, commitTimestamp: 0).encode()
        }
    }

    /// Records an issue unless `body` throws ``BrokerError/corruptRecord(_:)``.
    private func expectCorrupt(
        _ name: String = "", sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws(BrokerError) -> Void
    ) {
        do {
            try body()
            Issue.record("decoding \(name) succeeded", sourceLocation: sourceLocation)
        } catch {
            guard case .corruptRecord = error else {
                Issue.record("decoding \(name): expected corruptRecord, got \(error)", sourceLocation: sourceLocation)
                return
            }
        }
    }
}
