import Foundation
import Testing

@testable import BrokerCore

// Issue 9: "Storage never deletes what it cannot explain, and never serves a byte it has not
// checked." Each test writes a data directory with a real broker, stops it (cleanly, or by
// dropping it: a crash), damages its files one way, and opens it again: every intact acknowledged
// record is served (or kept on disk in a stray directory, reported), no read returns a value that
// was not produced, and StorageVerifier reports the damage. Helpers: StorageDamageSupport.swift.

struct StorageDamageTests {
    typealias Seeded = SeededDirectory

    // MARK: - 1. topics.log missing or damaged

    /// Without topics.log but with partition directories the broker refuses to start, naming the
    /// directories and --rebuild-metadata, and changes nothing in the directory.
    @Test func missingTopicsLogIsRefusedAndNothingChanges() throws {
        let seeded = try Seeded()
        try FileManager.default.removeItem(atPath: seeded.path + "/topics.log")
        let before = tree(seeded.path)
        let error = #expect(throws: BrokerError.self) { _ = try seeded.open() }
        guard case .metadataUnusable(let message)? = error else {
            Issue.record("expected metadataUnusable, got \(String(describing: error))")
            return
        }
        for name in ["__consumer_offsets-0", "orders-0", "prices-0", "prices-1", "prices-2", "topics.log"] {
            #expect(message.contains(name), "\(message)")
        }
        #expect(message.contains("skiff broker --data-dir \(seeded.path) --rebuild-metadata"), "\(message)")
        #expect(error?.kafkaErrorCode == 56)
        expectSameTree(before, tree(seeded.path), "a refused start")
        // A second refusal changes nothing either (no marker consumed, no lock left behind).
        #expect(throws: BrokerError.self) { _ = try seeded.open() }
        expectSameTree(before, tree(seeded.path), "a second refused start")
    }

    /// --rebuild-metadata brings back every topic with its partition count and topic id from the
    /// partition directories, every record, the group offsets and __consumer_offsets with its
    /// internal config; other configs are reset to the defaults, and the new topics.log serves the
    /// next start.
    @Test func rebuildRestoresTopicsRecordsAndOffsets() throws {
        let seeded = try Seeded()
        try FileManager.default.removeItem(atPath: seeded.path + "/topics.log")
        do {
            let broker = try seeded.open(rebuild: true)
            try expectRebuilt(broker, seeded, recovered: [])
            let rebuild = try #require(broker.metadataRebuild)
            #expect(rebuild.oldMetadataMovedTo == nil)
            #expect(
                rebuild.topics.map(\.name) == [ConsumerOffsetsStore.topicName, Seeded.orders, Seeded.prices])
            #expect(rebuild.topics.allSatisfy { $0.missingPartitions.isEmpty })
            let notice = try #require(notices(broker, .metadataRebuilt).first)
            #expect(notice.message.contains("prices (3)") && notice.message.contains("orders (1)"), "\(notice.message)")
            try broker.shutdown()
        }
        // The rebuilt topics.log is the metadata from now on: a plain start sees the same.
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        try expectRebuilt(broker, seeded, recovered: [])
        #expect(broker.notices.all.isEmpty, "\(broker.notices.all)")
    }

    /// What the rebuild must have brought back. A topic's config overrides come back when a line
    /// of the old metadata file naming it still passes its CRC (the rebuild says which), else
    /// they are the defaults; `recovered` names the topics whose config must have come back.
    private func expectRebuilt(_ broker: Broker, _ seeded: Seeded, recovered: Set<String>? = nil) throws {
        #expect(broker.topics.topicNames == [ConsumerOffsetsStore.topicName, Seeded.orders, Seeded.prices])
        let fromRebuild = Set((broker.metadataRebuild?.topics ?? []).filter(\.configRecovered).map(\.name))
        let back = recovered ?? fromRebuild
        if let recovered, broker.metadataRebuild != nil { #expect(fromRebuild == recovered) }
        let prices = try broker.describeTopic(Seeded.prices)
        #expect(prices.topicId == seeded.topicIds[Seeded.prices])
        #expect(prices.partitions.count == 3)
        #expect(prices.configOverrides == (back.contains(Seeded.prices) ? Seeded.pricesConfig : [:]))
        let orders = try broker.describeTopic(Seeded.orders)
        #expect(orders.topicId == seeded.topicIds[Seeded.orders])
        #expect(orders.configOverrides == (back.contains(Seeded.orders) ? Seeded.ordersConfig : [:]))
        let offsets = try broker.describeTopic(ConsumerOffsetsStore.topicName)
        #expect(offsets.topicId == seeded.topicIds[ConsumerOffsetsStore.topicName])
        #expect(offsets.configOverrides == ConsumerOffsetsStore.topicConfig)
        for tp in seeded.partitions {
            let produced = seeded.produced[tp, default: []]
            expectProduced(
                try readFrom(broker, tp, 0), produced, produced.isEmpty ? nil : 0...Int64(produced.count - 1), "\(tp)")
        }
        let committed = broker.groups.fetchOffsets(groupId: "g")
        #expect(committed[Seeded.pricesPartition]?.offset == 7)
        #expect(committed[Seeded.pricesPartition]?.metadata == "m")
        #expect(committed[Seeded.ordersPartition]?.offset == 30)
    }

    /// A topics.log whose header is damaged, that is empty, or whose early line is damaged while
    /// valid lines follow, is refused like a missing one, nothing changed; the rebuild moves the
    /// damaged file aside (kept byte for byte).
    @Test(arguments: [
        "a flipped bit", "a zero byte", "its first byte zeroed", "its newline flipped", "the header damaged",
        "the file emptied",
    ])
    func damagedTopicsLogIsRefusedAndMovedAsideByTheRebuild(_ how: String) throws {
        let seeded = try Seeded()
        let path = seeded.path + "/topics.log"
        let original = contents(path)
        // Line 2 (the first after the header) is __consumer_offsets; lines for prices and orders follow.
        let firstLine = try #require(original.firstIndex(of: 0x0A)) + 1
        switch how {
        case "a flipped bit": try flip(path, at: firstLine + 20)
        case "a zero byte": try flip(path, at: firstLine + 20, mask: original[firstLine + 20])
        case "its first byte zeroed": try flip(path, at: firstLine, mask: original[firstLine])
        case "the header damaged": try flip(path, at: 3)
        case "the file emptied": try write([], to: path)
        default: try flip(path, at: try #require(original[firstLine...].firstIndex(of: 0x0A)), mask: 0x2A)
        }
        let damaged = contents(path)
        let before = tree(seeded.path)
        let error = #expect(throws: BrokerError.self) { _ = try seeded.open() }
        guard case .metadataUnusable(let message)? = error else {
            Issue.record("expected metadataUnusable, got \(String(describing: error))")
            return
        }
        let problem =
            how.hasPrefix("the ")
            ? "topics.log does not start with the line 'skiff-topics-log 1'"
            : "topics.log is damaged at byte \(firstLine)"
        #expect(message.contains(problem), "\(message)")
        #expect(message.contains("prices-0") && message.contains("--rebuild-metadata"), "\(message)")
        expectSameTree(before, tree(seeded.path), "a refused start")

        let broker = try seeded.open(rebuild: true)
        defer { try? broker.shutdown() }
        try expectRebuilt(broker, seeded)
        if how != "the file emptied" {
            // The lines that still pass their CRC give their topics' configs back.
            #expect(broker.metadataRebuild?.topics.contains { $0.configRecovered } == true, "\(how)")
        }
        let aside = try #require(broker.metadataRebuild?.oldMetadataMovedTo)
        #expect(aside.hasPrefix("topics.log.damaged-"))
        #expect(contents(seeded.path + "/" + aside) == damaged)
        #expect(notices(broker, .metadataRebuilt).first?.message.contains(aside) == true)
    }

    /// A torn last line (a change cut short by a crash, never acknowledged) is ignored: the broker
    /// starts with what the earlier lines say, and the next change overwrites the torn bytes.
    @Test(arguments: ["cut mid-line", "garbage without newline", "line failing its CRC", "line with zeros inside"])
    func tornLastLineIsIgnored(_ tear: String) throws {
        let seeded = try Seeded()
        do {
            // The last line changes the config of orders: tearing it brings back the earlier config.
            let broker = try seeded.open()
            try broker.alterTopicConfig(Seeded.orders, set: ["retention.ms": "1234"])
            try broker.shutdown()
        }
        let path = seeded.path + "/topics.log"
        var bytes = contents(path)
        let end = try #require(bytes.firstIndex(of: 0))
        let lastLine = try #require(bytes[..<(end - 1)].lastIndex(of: 0x0A)) + 1
        switch tear {
        case "cut mid-line":
            bytes = Array(bytes[..<((lastLine + end) / 2)])
        case "garbage without newline":
            bytes.replaceSubrange(end..<end + 9, with: Array("012345678".utf8))
        case "line failing its CRC":
            let line = Array("00000000 topic name=late id=\(UUID().uuidString) partitions=1 created=1 config=\n".utf8)
            bytes.replaceSubrange(end..<end + line.count, with: line)
        default:
            // A torn append whose middle never reached the disk, longer than the next line written.
            let line =
                [UInt8](repeating: 0x78, count: 50) + [UInt8](repeating: 0, count: 10)
                + [UInt8](repeating: 0x79, count: 200) + [0x0A]
            bytes.replaceSubrange(end..<end + line.count, with: line)
        }
        try write(bytes, to: path)
        let expectedRetention = tear == "cut mid-line" ? nil : "1234"
        do {
            let broker = try seeded.open()
            #expect(broker.topics.topicNames == [ConsumerOffsetsStore.topicName, Seeded.orders, Seeded.prices])
            #expect(try broker.describeTopic(Seeded.orders).configOverrides["retention.ms"] == expectedRetention)
            #expect(broker.notices.all.isEmpty, "\(broker.notices.all)")
            try expectEveryRead(broker, Seeded.ordersPartition, produced: seeded.produced[Seeded.ordersPartition]!)
            try broker.createTopic("after", partitions: 1)
            try broker.shutdown()
        }
        // The torn bytes are gone: nothing of them is left after the line that replaced them.
        #expect(try StorageVerifier.verify(dataDirectory: seeded.path).problems.isEmpty)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(broker.topics.topicNames.contains("after"))
        #expect(try broker.describeTopic(Seeded.orders).configOverrides["retention.ms"] == expectedRetention)
    }

    // MARK: - 2. The old format

    /// A directory with only topics.json (the format before topics.log) is migrated: topics, ids,
    /// configs and records are all there, topics.log is written and topics.json kept as
    /// topics.json.migrated.
    @Test func legacyTopicsJSONIsMigrated() throws {
        let seeded = try Seeded()
        try FileManager.default.removeItem(atPath: seeded.path + "/topics.log")
        let topics = [
            (ConsumerOffsetsStore.topicName, 1, #"{"retention.ms":"-1","segment.bytes":"104857600"}"#),
            (Seeded.orders, 1, #"{"segment.bytes":"1200","index.interval.bytes":"1000000"}"#),
            (Seeded.prices, 3, #"{"retention.ms":"3600000"}"#),
        ].map { name, count, config in
            #"{"name":"\#(name)","topicId":"\#(seeded.topicIds[name]!.uuidString)","partitionCount":\#(count),"config":\#(config),"createdAt":1700000000000}"#
        }
        let json = Array(#"{"version":1,"topics":[\#(topics.joined(separator: ","))]}"#.utf8)
        try write(json, to: seeded.path + "/topics.json")
        for restart in 0..<2 {
            let broker = try seeded.open()
            #expect(broker.topics.topicNames == [ConsumerOffsetsStore.topicName, Seeded.orders, Seeded.prices])
            #expect(try broker.describeTopic(Seeded.prices).topicId == seeded.topicIds[Seeded.prices])
            #expect(try broker.describeTopic(Seeded.prices).configOverrides == Seeded.pricesConfig)
            #expect(try broker.describeTopic(Seeded.orders).configOverrides == Seeded.ordersConfig)
            #expect(broker.notices.all.isEmpty, "restart \(restart): \(broker.notices.all)")
            for tp in seeded.partitions {
                try expectEveryRead(broker, tp, produced: seeded.produced[tp, default: []])
            }
            #expect(broker.groups.fetchOffsets(groupId: "g")[Seeded.ordersPartition]?.offset == 30)
            try broker.shutdown()
            #expect(FileManager.default.fileExists(atPath: seeded.path + "/topics.log"))
            #expect(!FileManager.default.fileExists(atPath: seeded.path + "/topics.json"))
            #expect(contents(seeded.path + "/topics.json.migrated") == json)
        }
    }

    // MARK: - 3. Partition directories

    /// A damaged `partition.metadata` in a directory topics.log names.
    enum MetadataDamage: String, CaseIterable, Sendable {
        /// One byte flipped so that the file no longer parses.
        case flippedByte
        case emptied
        case deleted

        func apply(_ path: String) throws {
            switch self {
            case .flippedByte: try flip(path, at: 0, mask: 0x20)  // "version" → "Version"
            case .emptied: try write([], to: path)
            case .deleted: try FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// With intact segments the file is rewritten from topics.log and every record is served,
    /// after a clean shutdown and after a crash.
    @Test(arguments: MetadataDamage.allCases, [true, false])
    func damagedPartitionMetadataIsRewritten(_ damage: MetadataDamage, clean: Bool) throws {
        let seeded = try Seeded(clean: clean)
        let tp = Seeded.ordersPartition
        let metadataPath = seeded.ordersPath + "/partition.metadata"
        let original = contents(metadataPath)
        try damage.apply(metadataPath)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(contents(metadataPath) == original)
        #expect(
            contents(metadataPath)
                == Array("version: 0\ntopic_id: \(seeded.topicIds[Seeded.orders]!.uuidString)\n".utf8))
        let notice = try #require(notices(broker, .metadataRewritten).first)
        #expect(notice.path == "orders-0/partition.metadata")
        #expect(notices(broker, .strayDirectory).isEmpty)
        try expectEveryRead(broker, tp, produced: seeded.produced[tp]!)
    }

    /// With a damaged segment as well the directory cannot be shown to belong to the topic: it is
    /// moved aside as `<dir>.<hex>-stray`, byte for byte, reported, and the partition starts empty.
    @Test(arguments: MetadataDamage.allCases)
    func damagedPartitionMetadataAndSegmentMovesTheDirectoryAside(_ damage: MetadataDamage) throws {
        let seeded = try Seeded()
        let segment = segmentFiles(seeded.ordersPath)[2]
        try BatchDamage.valueByte.apply(to: segment, batch: segment.batches[1])
        try damage.apply(seeded.ordersPath + "/partition.metadata")
        let before = tree(seeded.ordersPath)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let stray = try expectMovedAside(broker, seeded, "orders-0", before: before)
        #expect(notices(broker, .strayDirectory).first?.message.contains("damaged") == true)
        #expect(notices(broker, .metadataRewritten).isEmpty)
        // The stray's name never looks like a partition directory again.
        #expect(TopicRegistry.partition(ofDirectoryName: stray) == nil)
        try expectEveryRead(broker, Seeded.ordersPartition, produced: [])
        #expect(
            try broker.produce(topic: Seeded.orders, partition: 0, records: [ProducerRecord(value: [1])])[0].offset == 0
        )
    }

    /// Checks that `name` was moved aside (exactly one `<name>.<32 hex>-stray` holding the files of
    /// `before`), reported, and replaced by an empty partition directory; returns the stray's name.
    @discardableResult
    private func expectMovedAside(
        _ broker: Broker, _ seeded: Seeded, _ name: String, before: [String: [UInt8]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let strays = entries(in: seeded.path, matching: "\(name)\\.[0-9a-f]{32}-stray")
        #expect(strays.count == 1, "\(fileNames(in: seeded.path))", sourceLocation: sourceLocation)
        let stray = try #require(strays.first, sourceLocation: sourceLocation)
        expectSameTree(before, tree(seeded.path + "/" + stray), "the stray directory", sourceLocation: sourceLocation)
        #expect(
            notices(broker, .strayDirectory).contains { $0.path == stray }, "\(broker.notices.all)",
            sourceLocation: sourceLocation)
        return stray
    }

    /// A `partition.metadata` naming another topic id marks a directory that is not this topic's:
    /// it is moved aside, never deleted, and the partition starts empty.
    @Test func partitionMetadataOfAnotherTopicMovesTheDirectoryAside() throws {
        let seeded = try Seeded()
        let tp = TopicPartition(topic: Seeded.prices, partition: 1)
        let other = UUID()
        try write(
            Array("version: 0\ntopic_id: \(other.uuidString)\n".utf8),
            to: seeded.partitionPath(tp) + "/partition.metadata")
        let before = tree(seeded.partitionPath(tp))
        do {
            let broker = try seeded.open()
            try expectMovedAside(broker, seeded, "prices-1", before: before)
            #expect(notices(broker, .strayDirectory).first?.message.contains(other.uuidString) == true)
            try expectEveryRead(broker, tp, produced: [])
            try expectEveryRead(broker, Seeded.pricesPartition, produced: seeded.produced[Seeded.pricesPartition]!)
            try broker.shutdown()
        }
        // The next start reports the stray again and leaves it alone.
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let stray = try expectMovedAside(broker, seeded, "prices-1", before: before)
        #expect(notices(broker, .strayDirectory).first?.message.contains("an earlier start moved aside") == true)
        #expect(try StorageVerifier.verify(dataDirectory: seeded.path).strays == [stray])
    }

    /// A directory no topic claims (an unknown topic, or a partition past the topic's count) is
    /// moved aside whole and reported; the topics it resembles are untouched.
    @Test(arguments: ["other-0", "prices-7"])
    func unclaimedDirectoryIsMovedAside(_ name: String) throws {
        let seeded = try Seeded()
        try copyDirectory(seeded.partitionPath(Seeded.pricesPartition), to: seeded.path + "/" + name)
        let before = tree(seeded.path + "/" + name)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        try expectMovedAside(broker, seeded, name, before: before)
        #expect(!FileManager.default.fileExists(atPath: seeded.path + "/" + name))
        let reason = name == "other-0" ? "no topic 'other'" : "topic 'prices' has 3 partitions"
        #expect(notices(broker, .strayDirectory).first?.message.contains(reason) == true, "\(broker.notices.all)")
        #expect(broker.topics.topicNames == [ConsumerOffsetsStore.topicName, Seeded.orders, Seeded.prices])
        for tp in seeded.partitions {
            try expectEveryRead(broker, tp, produced: seeded.produced[tp, default: []])
        }
    }

    /// Directories left by a deleted topic (a crash between the delete line and the removal) are
    /// recognised by their topic id and removed, also when a new topic of the same name exists.
    @Test func leftoversOfADeletedTopicAreRemoved() throws {
        let seeded = try Seeded()
        let holding = TemporaryDirectory()
        do {
            let broker = try seeded.open()
            try broker.createTopic("gone", partitions: 2)
            _ = try broker.produce(topic: "gone", partition: 1, records: [ProducerRecord(value: [1, 2, 3])])
            try broker.topics.partition(TopicPartition(topic: "gone", partition: 1)).flush()
            for p in 0..<2 { try copyDirectory(seeded.path + "/gone-\(p)", to: holding.path + "/gone-\(p)") }
            try broker.deleteTopic("gone")
            #expect(!FileManager.default.fileExists(atPath: seeded.path + "/gone-0"))
            // A new topic of the same name, with one partition.
            try broker.createTopic("gone", partitions: 1)
            _ = try broker.produce(topic: "gone", partition: 0, records: [ProducerRecord(value: [9])])
            try broker.shutdown()
        }
        // What the crash left: the old topic's second partition directory.
        try copyDirectory(holding.path + "/gone-1", to: seeded.path + "/gone-1")
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(!FileManager.default.fileExists(atPath: seeded.path + "/gone-1"))
        let notice = try #require(notices(broker, .leftoverRemoved).first)
        #expect(notice.path == "gone-1")
        #expect(notices(broker, .strayDirectory).isEmpty)
        #expect(try readFrom(broker, TopicPartition(topic: "gone", partition: 0), 0).map(\.value) == [[9]])
        #expect(entries(in: seeded.path, matching: ".*-stray").isEmpty)
    }

    /// The old topic's directory under the name the new topic uses: removed (its id is a recorded
    /// delete), and the new topic's partition starts empty in a fresh directory.
    @Test func leftoverUnderANameInUseIsRemoved() throws {
        let seeded = try Seeded()
        let holding = TemporaryDirectory()
        do {
            let broker = try seeded.open()
            try broker.createTopic("gone", partitions: 1)
            _ = try broker.produce(topic: "gone", partition: 0, records: [ProducerRecord(value: [1])])
            try broker.topics.partition(TopicPartition(topic: "gone", partition: 0)).flush()
            try copyDirectory(seeded.path + "/gone-0", to: holding.path + "/gone-0")
            try broker.deleteTopic("gone")
            try broker.createTopic("gone", partitions: 1)
            try broker.shutdown()
        }
        try FileManager.default.removeItem(atPath: seeded.path + "/gone-0")
        try copyDirectory(holding.path + "/gone-0", to: seeded.path + "/gone-0")
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(notices(broker, .leftoverRemoved).map(\.path) == ["gone-0"])
        try expectEveryRead(broker, TopicPartition(topic: "gone", partition: 0), produced: [])
        #expect(
            contents(seeded.path + "/gone-0/partition.metadata")
                == Array("version: 0\ntopic_id: \(broker.topics.topicId(of: "gone")!.uuidString)\n".utf8))
    }
}

// MARK: - 4. Checkpoints past the end

extension StorageDamageTests {
    /// A checkpoint that says more than the log holds is a hint gone wrong: it is ignored with a
    /// notice, every batch is kept and served from the first segment, and it is rewritten, after a
    /// clean shutdown and after a crash.
    @Test(arguments: [PartitionLog.logStartOffsetFileName, PartitionLog.recoveryPointFileName], [true, false])
    func checkpointPastTheEndIsIgnored(_ checkpoint: String, clean: Bool) throws {
        let seeded = try Seeded(clean: clean)
        let tp = Seeded.ordersPartition
        let path = seeded.ordersPath + "/" + checkpoint
        let end = seeded.produced[tp]!.count
        try write(Array("0\n1\norders 0 \(end + 1000)\n".utf8), to: path)
        #expect(FileManager.default.fileExists(atPath: seeded.path + "/" + Broker.cleanShutdownMarker) == clean)
        let segmentsBefore = segmentFiles(seeded.ordersPath).map(\.name)
        do {
            let broker = try seeded.open()
            let notice = try #require(notices(broker, .checkpointIgnored).first)
            #expect(notice.path == "orders-0/\(checkpoint)")
            #expect(notice.message.contains("\(end + 1000)") && notice.message.contains("\(end)"), "\(notice.message)")
            #expect(try broker.offset(tp, for: .earliest) == 0)
            #expect(segmentFiles(seeded.ordersPath).map(\.name) == segmentsBefore)
            try expectEveryRead(broker, tp, produced: seeded.produced[tp]!)
            try broker.shutdown()
        }
        let written = String(decoding: contents(path), as: UTF8.self)
        #expect(!written.contains("\(end + 1000)"), "\(written)")
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(broker.notices.all.isEmpty, "\(broker.notices.all)")
        try expectEveryRead(broker, tp, produced: seeded.produced[tp]!)
    }

    /// An ignored checkpoint stays ignored: once the log has grown past the value it said, the
    /// next start (clean or after a crash) still serves everything from offset 0 — the stale file
    /// must not come back to life and cut the log. For an empty partition too.
    @Test(arguments: [PartitionLog.logStartOffsetFileName, PartitionLog.recoveryPointFileName], [true, false])
    func ignoredCheckpointDoesNotComeBackWhenTheLogGrows(_ checkpoint: String, clean: Bool) throws {
        var seeded = try Seeded()
        let tp = Seeded.ordersPartition
        let empty = TopicPartition(topic: Seeded.prices, partition: 2)
        let bogus = seeded.produced[tp]!.count + 30
        try write(Array("0\n1\norders 0 \(bogus)\n".utf8), to: seeded.ordersPath + "/" + checkpoint)
        try write(Array("0\n1\nprices 2 30\n".utf8), to: seeded.partitionPath(empty) + "/" + checkpoint)
        do {
            let broker = try seeded.open()
            #expect(
                notices(broker, .checkpointIgnored).map(\.path).sorted() == [
                    "orders-0/\(checkpoint)", "prices-2/\(checkpoint)",
                ])
            for _ in 0..<15 {
                try seeded.produce(broker, tp, count: 3)
                try seeded.produce(broker, empty, count: 3)
            }
            if clean { try broker.shutdown() }
        }
        #expect(seeded.produced[tp]!.count > bogus && seeded.produced[empty]!.count > 30)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(broker.notices.all.isEmpty, "\(broker.notices.all)")
        try expectEveryRead(broker, tp, produced: seeded.produced[tp]!)
        try expectEveryRead(broker, empty, produced: seeded.produced[empty]!)
    }
}

// MARK: - 5. Damaged batches

extension StorageDamageTests {
    /// One damaged batch in the middle of an older segment, after a clean shutdown or a crash:
    /// reads before it return their records and stop before it, a read starting in its offsets
    /// fails naming the partition, the offsets, the segment file and the byte position, and reads
    /// after it — from every offset, with no index entry anywhere — return exactly what was
    /// produced. Nothing is cut.
    @Test(arguments: BatchDamage.allCases, [true, false])
    func damagedBatchInAnOlderSegment(_ damage: BatchDamage, clean: Bool) throws {
        // The segment's first batch, one in its middle, and its last (nothing valid after it in
        // the file: the next segment's base offset bounds what it hides).
        for batch in [0, 2, nil] {
            try expectDamagedBatch(damage, clean: clean, segment: 2, batch: batch)
        }
    }

    /// The same in the active segment, with intact batches after the damage: they are kept and
    /// served, nothing is cut (a crash cuts only a torn tail).
    @Test(arguments: BatchDamage.allCases, [true, false])
    func damagedBatchInTheActiveSegment(_ damage: BatchDamage, clean: Bool) throws {
        try expectDamagedBatch(damage, clean: clean, segment: nil, batch: 1)
    }

    /// The same with an offset index entry for nearly every batch: lookups that land on or just
    /// before the damage still find what it hides and what follows it.
    @Test(arguments: BatchDamage.allCases, [true, false])
    func damagedBatchAmongIndexEntries(_ damage: BatchDamage, clean: Bool) throws {
        for (segment, batch) in [(2, 0), (2, 1), (2, 2), (2, 3), (2, nil), (nil, 1), (nil, 2)] {
            try expectDamagedBatch(
                damage, clean: clean, segment: segment, batch: batch,
                ordersConfig: ["segment.bytes": "1200", "index.interval.bytes": "100"])
        }
    }

    /// Damages batch `batch` (the last when nil) of segment `segment` (the active one when nil).
    private func expectDamagedBatch(
        _ damage: BatchDamage, clean: Bool, segment: Int?, batch: Int?,
        ordersConfig: [String: String] = Seeded.ordersConfig
    ) throws {
        let seeded = try Seeded(clean: clean, ordersConfig: ordersConfig)
        let tp = Seeded.ordersPartition
        let files = segmentFiles(seeded.ordersPath)
        #expect(files.count > 4)
        let target = files[segment ?? files.count - 1]
        let damaged = target.batches[batch ?? target.batches.count - 1]
        #expect(segment != nil || batch.map { $0 < target.batches.count - 1 } == true, "not the torn-tail case")
        if ordersConfig["index.interval.bytes"] == "100" && segment != nil {
            #expect(contents(String(target.path.dropLast(4)) + ".index").count >= 3 * OffsetIndex.entrySize)
        }
        // Every batch and its timestamp (the seeding clock gives each batch its own), before the damage.
        let timestamps = files.flatMap { file in
            file.batches.map { ($0, bigEndian(file.bytes, $0.position + 35, 8)) }
        }
        try damage.apply(to: target, batch: damaged)
        let sizes = files.map { contents($0.path).count }
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let produced = seeded.produced[tp]!

        // A lookup by time steps over the damage: it never answers an offset that cannot be read.
        for (index, (batch, timestamp)) in timestamps.enumerated() {
            let expected = batch == damaged ? timestamps[index + 1].0.baseOffset : batch.baseOffset
            #expect(try broker.offset(tp, for: .timestamp(timestamp)) == expected, "timestamp of \(batch.offsets)")
        }

        // The read from the start stops before the damage; the read in it names it.
        expectProduced(try readFrom(broker, tp, 0), produced, 0...(damaged.baseOffset - 1), "from 0")
        let error = try #require(
            corruptBatch { () throws(BrokerError) in _ = try readFrom(broker, tp, damaged.baseOffset) })
        #expect(error.topicPartition == tp)
        #expect(error.damage.segmentFileName == target.name)
        #expect(error.damage.position == damaged.position)
        #expect(error.damage.firstOffset == damaged.baseOffset && error.damage.lastOffset == damaged.lastOffset)
        let message = BrokerError.corruptBatch(error).description
        for part in [
            "partition orders-0", "offsets \(damaged.baseOffset)–\(damaged.lastOffset)", "segment \(target.name)",
            "bytes \(damaged.position)–", "offsets from \(damaged.lastOffset + 1) on can be read",
        ] {
            #expect(message.contains(part), "\(message)")
        }
        #expect(BrokerError.corruptBatch(error).kafkaErrorCode == 2)
        try expectEveryRead(broker, tp, produced: produced, damaged: damaged.offsets)
        // Reported once, by recovery or by the first read; the bytes stay where they were.
        let reported = notices(broker, .damagedData)
        #expect(reported.count == 1, "\(reported)")
        #expect(reported.first?.path == "orders-0/\(target.name)")
        #expect(files.map { contents($0.path).count } == sizes)
        #expect(entries(in: seeded.ordersPath, matching: ".*\\.cut-at-.*").isEmpty)
        // Appends continue after the last intact batch.
        let next = try broker.produce(topic: tp.topic, partition: 0, records: [ProducerRecord(value: [7])])
        #expect(next[0].offset == Int64(produced.count))
    }

    /// After a crash a torn last batch of the active segment is cut, and its bytes are kept in
    /// `<log>.cut-at-<position>`; damage before it stays in place and intact batches between the
    /// two are served.
    @Test(arguments: ["torn last batch", "garbage after the last batch", "damage and a torn last batch"])
    func tornTailIsCutAndKept(_ tear: String) throws {
        let seeded = try Seeded(clean: false)
        let tp = Seeded.ordersPartition
        let active = try #require(segmentFiles(seeded.ordersPath).last)
        let last = try #require(active.batches.last)
        var produced = seeded.produced[tp]!
        var cut: (position: Int, bytes: [UInt8])
        var damaged: ClosedRange<Int64>?
        switch tear {
        case "garbage after the last batch":
            let garbage = (0..<37).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 13) }
            try write(active.bytes + garbage, to: active.path)
            cut = (active.bytes.count, garbage)
        default:
            let at = last.position + last.size / 2
            try write(Array(active.bytes[..<at]), to: active.path)
            cut = (last.position, Array(active.bytes[last.position..<at]))
            produced.removeLast(Int(last.lastOffset - last.baseOffset + 1))
            if tear == "damage and a torn last batch" {
                try BatchDamage.valueByte.apply(to: active, batch: active.batches[1])
                damaged = active.batches[1].offsets
            }
        }
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let cutName = "\(active.name).cut-at-\(cut.position)"
        #expect(contents(seeded.ordersPath + "/" + cutName) == cut.bytes)
        #expect(contents(active.path).count == cut.position)
        let notice = try #require(notices(broker, .tailCut).first)
        #expect(notice.message.contains(cutName), "\(notice.message)")
        try expectEveryRead(broker, tp, produced: produced, damaged: damaged)
        #expect(
            try broker.produce(topic: tp.topic, partition: 0, records: [ProducerRecord(value: [7])])[0].offset
                == Int64(produced.count))
    }
}

extension StorageDamageTests {
    /// A crash can lose a partition.metadata that was never fsynced and tear the last write: the
    /// torn tail is what recovery cuts (and keeps), not damage that makes the directory someone
    /// else's, so the file is rewritten and every complete batch is served.
    @Test(arguments: MetadataDamage.allCases, ["cut inside the last batch", "last batch fails its CRC"])
    func lostPartitionMetadataAndATornTailAfterACrash(_ damage: MetadataDamage, tear: String) throws {
        let seeded = try Seeded(clean: false)
        let tp = Seeded.ordersPartition
        let active = try #require(segmentFiles(seeded.ordersPath).last)
        let last = try #require(active.batches.last)
        if tear == "cut inside the last batch" {
            try write(Array(active.bytes[..<(last.position + 30)]), to: active.path)
        } else {
            try BatchDamage.valueByte.apply(to: active, batch: last)
        }
        try damage.apply(seeded.ordersPath + "/partition.metadata")
        var produced = seeded.produced[tp]!
        produced.removeLast(Int(last.lastOffset - last.baseOffset + 1))
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(notices(broker, .strayDirectory).isEmpty, "\(broker.notices.all)")
        #expect(notices(broker, .metadataRewritten).count == 1)
        #expect(notices(broker, .tailCut).count == 1)
        try expectEveryRead(broker, tp, produced: produced)
    }
}

// MARK: - 6. StorageVerifier

extension StorageDamageTests {
    /// Verifies `seeded` and checks that nothing under it changed.
    private func verify(
        _ seeded: Seeded, sourceLocation: SourceLocation = #_sourceLocation
    ) throws
        -> StorageVerification
    {
        let before = tree(seeded.path)
        let result = try StorageVerifier.verify(dataDirectory: seeded.path)
        expectSameTree(before, tree(seeded.path), "verify", sourceLocation: sourceLocation)
        return result
    }

    private func partition(_ result: StorageVerification, _ name: String) throws -> PartitionVerification {
        try #require(result.partitions.first { $0.directoryName == name }, "\(result.partitions.map(\.directoryName))")
    }

    /// An undamaged directory, after a clean shutdown or a crash, is intact, with the right figures.
    @Test(arguments: [true, false])
    func verifierFindsAnUndamagedDirectoryIntact(clean: Bool) throws {
        let seeded = try Seeded(clean: clean)
        let result = try verify(seeded)
        #expect(result.isIntact, "\(result)")
        #expect(result.problems.isEmpty && result.strays.isEmpty)
        #expect(
            result.partitions.map(\.directoryName) == [
                "__consumer_offsets-0", "orders-0", "prices-0", "prices-1", "prices-2",
            ])
        let orders = try partition(result, "orders-0")
        let files = segmentFiles(seeded.ordersPath)
        #expect(orders.topicId == seeded.topicIds[Seeded.orders])
        #expect(orders.segmentCount == files.count)
        #expect(orders.validBatches == files.reduce(0) { $0 + $1.batches.count })
        #expect(orders.records == Int64(seeded.produced[Seeded.ordersPartition]!.count))
        #expect(orders.logBytes == Int64(files.reduce(0) { $0 + $1.bytes.count }))
        #expect(orders.firstOffset == 0 && orders.endOffset == Int64(seeded.produced[Seeded.ordersPartition]!.count))
        #expect(try partition(result, "prices-2").records == 0)
    }

    /// Every kind of damaged batch, in an older or the active segment, is one damaged range with
    /// the batch's position, length and offsets; the batches around it are counted as valid.
    @Test(arguments: BatchDamage.allCases, [false, true])
    func verifierReportsADamagedBatch(_ damage: BatchDamage, inActiveSegment: Bool) throws {
        for batch in inActiveSegment ? [1, 2] : [0, 2, nil] {
            try expectVerifierReportsADamagedBatch(damage, inActiveSegment: inActiveSegment, batch: batch)
        }
    }

    /// The same with an offset index entry for nearly every batch: an entry that points at the
    /// damaged batch is not a problem of the index (the index is right, the batch is damaged).
    @Test(arguments: BatchDamage.allCases)
    func verifierReportsADamagedBatchAmongIndexEntries(_ damage: BatchDamage) throws {
        for (active, batch) in [(false, 0), (false, 2), (false, nil), (true, 1), (true, 2)] {
            try expectVerifierReportsADamagedBatch(
                damage, inActiveSegment: active, batch: batch,
                ordersConfig: ["segment.bytes": "1200", "index.interval.bytes": "100"])
        }
    }

    private func expectVerifierReportsADamagedBatch(
        _ damage: BatchDamage, inActiveSegment: Bool, batch: Int?, ordersConfig: [String: String] = Seeded.ordersConfig
    ) throws {
        let seeded = try Seeded(ordersConfig: ordersConfig)
        let files = segmentFiles(seeded.ordersPath)
        let target = inActiveSegment ? files[files.count - 1] : files[2]
        let damaged = target.batches[batch ?? target.batches.count - 1]
        try damage.apply(to: target, batch: damaged)
        let result = try verify(seeded)
        #expect(!result.isIntact)
        let orders = try partition(result, "orders-0")
        #expect(!orders.isIntact)
        #expect(orders.damage.count == 1, "\(orders.damage)")
        let range = try #require(orders.damage.first)
        #expect(range.segmentFileName == target.name)
        #expect(range.position == damaged.position && range.end == damaged.end, "\(range)")
        #expect(range.firstOffset == damaged.baseOffset && range.lastOffset == damaged.lastOffset, "\(range)")
        #expect(orders.validBatches == files.reduce(0) { $0 + $1.batches.count } - 1)
        #expect(orders.records == Int64(seeded.produced[Seeded.ordersPartition]!.count - 3))
        #expect(orders.endOffset == Int64(seeded.produced[Seeded.ordersPartition]!.count))
        #expect(
            orders.problems.isEmpty,
            "\(damage) in batch \(batch.map(String.init) ?? "last") of \(target.name): \(orders.problems)")
        #expect(result.partitions.filter { !$0.isIntact }.map(\.directoryName) == ["orders-0"])
    }

    /// Damage other than to batches, and what verify says about it.
    enum OtherDamage: String, CaseIterable, Sendable {
        case partitionMetadataMissing, partitionMetadataUnparsable, partitionMetadataOfAnotherTopic
        case logStartPastTheEnd, recoveryPointPastTheEnd, checkpointUnparsable
        case indexEntryOffTheBatches, indexOfOddSize, timeIndexPastTheSegment
        case unclaimedPartition, unknownTopic
        case topicsLogMissing, topicsLogDamagedMidFile, topicsLogTornLastLine

        /// Damages `seeded`; returns the directory whose problems name it (nil: the data
        /// directory's own problems) and a part of the problem's text.
        func apply(_ seeded: Seeded) throws -> (directory: String?, problem: String) {
            let orders = seeded.ordersPath
            let older = segmentFiles(orders)[2]
            let olderStem = String(older.name.dropLast(4))
            let end = seeded.produced[Seeded.ordersPartition]!.count
            switch self {
            case .partitionMetadataMissing:
                try FileManager.default.removeItem(atPath: orders + "/partition.metadata")
                return ("orders-0", "partition.metadata is missing")
            case .partitionMetadataUnparsable:
                try flip(orders + "/partition.metadata", at: 0, mask: 0x20)
                return ("orders-0", "partition.metadata does not parse")
            case .partitionMetadataOfAnotherTopic:
                let other = UUID()
                try write(Array("version: 0\ntopic_id: \(other.uuidString)\n".utf8), to: orders + "/partition.metadata")
                return ("orders-0", "partition.metadata names topic id \(other.uuidString)")
            case .logStartPastTheEnd:
                try write(Array("0\n1\norders 0 \(end + 5)\n".utf8), to: orders + "/log-start-offset-checkpoint")
                return ("orders-0", "log-start-offset-checkpoint says \(end + 5), past the end of the log (\(end))")
            case .recoveryPointPastTheEnd:
                try write(Array("0\n1\norders 0 \(end + 5)\n".utf8), to: orders + "/recovery-point-offset-checkpoint")
                return (
                    "orders-0", "recovery-point-offset-checkpoint says \(end + 5), past the end of the log (\(end))"
                )
            case .checkpointUnparsable:
                try write(Array("0\n1\nprices 0 7\n".utf8), to: orders + "/recovery-point-offset-checkpoint")
                return ("orders-0", "recovery-point-offset-checkpoint does not parse")
            case .indexEntryOffTheBatches:
                // Relative offset 2 at byte 10: inside the first batch, which ends at offset 2.
                try write([0, 0, 0, 2, 0, 0, 0, 10], to: orders + "/\(olderStem).index")
                return (
                    "orders-0",
                    "\(olderStem).index: the entry for offset \(older.batches[0].lastOffset) points at byte 10"
                )
            case .indexOfOddSize:
                try write([0, 0, 0, 2, 0, 0, 0], to: orders + "/\(olderStem).index")
                return ("orders-0", "\(olderStem).index: size 7 is not a multiple of 8")
            case .timeIndexPastTheSegment:
                var bytes = contents(orders + "/\(olderStem).timeindex")
                bytes.replaceSubrange((bytes.count - 4)..<bytes.count, with: [0, 0, 0x10, 0])
                try write(bytes, to: orders + "/\(olderStem).timeindex")
                return ("orders-0", "\(olderStem).timeindex points at offset \(older.batches[0].baseOffset + 4096)")
            case .unclaimedPartition:
                try copyDirectory(seeded.partitionPath(Seeded.pricesPartition), to: seeded.path + "/prices-7")
                return ("prices-7", "topic 'prices' has 3 partitions in topics.log; this directory is not one of them")
            case .unknownTopic:
                try copyDirectory(seeded.partitionPath(Seeded.pricesPartition), to: seeded.path + "/other-0")
                return ("other-0", "topic 'other' is not in topics.log")
            case .topicsLogMissing:
                try FileManager.default.removeItem(atPath: seeded.path + "/topics.log")
                return (nil, "topics.log is missing")
            case .topicsLogDamagedMidFile:
                try flip(seeded.path + "/topics.log", at: 40)
                return (nil, "topics.log is damaged at byte 19")
            case .topicsLogTornLastLine:
                let path = seeded.path + "/topics.log"
                var bytes = contents(path)
                let end = bytes.firstIndex(of: 0)!
                bytes.replaceSubrange(end..<(end + 5), with: Array("12345".utf8))
                try write(bytes, to: path)
                return (nil, "topics.log: a torn last line of 5 bytes")
            }
        }
    }

    /// Each damage to metadata, indexes, checkpoints or directories is a problem of the directory
    /// it concerns (or of the data directory), and the directory is not intact; a broker started
    /// on it afterwards still serves every record it can.
    @Test(arguments: OtherDamage.allCases)
    func verifierReportsOtherDamage(_ damage: OtherDamage) throws {
        let seeded = try Seeded()
        let (directory, problem) = try damage.apply(seeded)
        let result = try verify(seeded)
        #expect(!result.isIntact)
        let problems = try directory.map { try partition(result, $0).problems } ?? result.problems
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
        #expect(
            result.partitions.filter { !$0.isIntact }.map(\.directoryName) == (directory.map { [$0] } ?? []),
            "\(result.partitions.filter { !$0.isIntact })")
        #expect(result.partitions.allSatisfy { $0.damage.isEmpty })

        guard ![.topicsLogMissing, .topicsLogDamagedMidFile].contains(damage) else { return }
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let moved = [.partitionMetadataOfAnotherTopic].contains(damage)
        try expectEveryRead(
            broker, Seeded.ordersPartition, produced: moved ? [] : seeded.produced[Seeded.ordersPartition]!)
    }

    /// What a start did is visible to verify: a stray it moved aside is listed (and not served),
    /// a tail it cut is listed as kept, and neither makes the directory damaged.
    @Test func verifierListsStraysAndKeptTails() throws {
        let seeded = try Seeded(clean: false)
        let active = try #require(segmentFiles(seeded.ordersPath).last)
        try write(Array(active.bytes[..<(active.bytes.count - 10)]), to: active.path)
        try copyDirectory(seeded.partitionPath(Seeded.pricesPartition), to: seeded.path + "/other-0")
        let torn = try verify(seeded)
        #expect(!torn.isIntact)
        try seeded.open().shutdown()
        let result = try verify(seeded)
        #expect(result.isIntact, "\(result)")
        #expect(result.strays.count == 1 && result.strays[0].hasPrefix("other-0."), "\(result.strays)")
        let last = try #require(active.batches.last)
        #expect(try partition(result, "orders-0").cutFiles == ["\(active.name).cut-at-\(last.position)"])
    }
}

// MARK: - 7. A full disk

extension StorageDamageTests {
    static let reserveBytes = 64 << 10

    /// A broker on a disk with a quota: topics `keep` (a few records) and `fill` (segments of
    /// `segmentBytes`), a 64 KiB disk reserve, then room for 256 KiB more.
    private func fullDiskBroker(
        _ directory: TemporaryDirectory, _ io: QuotaStorageIO, segmentBytes: Int, keep: inout [[UInt8]]
    ) throws -> Broker {
        var config = damageTestConfig(directory.path)
        config.diskReserveBytes = Self.reserveBytes
        let broker = try Broker(config: config, io: io, logger: quietLogger)
        #expect(broker.storageStatus.diskReserveHeld)
        try broker.createTopic("keep", partitions: 1)
        try broker.createTopic("fill", partitions: 1, config: ["segment.bytes": "\(segmentBytes)"])
        keep = (0..<5).map { damageTestValue(TopicPartition(topic: "keep", partition: 0), $0) }
        _ = try broker.produce(topic: "keep", partition: 0, records: keep.map { ProducerRecord(value: $0) })
        io.setRoom(256 << 10)
        return broker
    }

    /// Produces to `fill-0` until the disk is full: records of about 4 KB until a produce fails,
    /// then smaller ones, then the smallest, so that not one block is left. Every failure is a
    /// storage error (KAFKA_STORAGE_ERROR) naming ENOSPC, and appends nothing.
    private func fill(_ broker: Broker, _ io: QuotaStorageIO, into produced: inout [[UInt8]]) throws {
        let tp = TopicPartition(topic: "fill", partition: 0)
        for padding in [4000, 400, 0] {
            var failed = false
            for _ in 0..<1000 where !failed {
                let value = Array("fill-\(produced.count)-".utf8) + [UInt8](repeating: 0x2E, count: padding)
                do throws(BrokerError) {
                    let result = try broker.produce(
                        topic: "fill", partition: 0, records: [ProducerRecord(value: value)])
                    #expect(result[0].offset == Int64(produced.count))
                    produced.append(value)
                } catch {
                    #expect(error.kafkaErrorCode == 56, "\(error)")
                    #expect("\(error)".contains("No space left on device"), "\(error)")
                    #expect(try broker.offset(tp, for: .latest) == Int64(produced.count))
                    failed = true
                }
            }
            #expect(failed, "the disk never filled")
        }
        #expect(io.free < QuotaStorageIO.blockSize, "\(io.free) bytes free")
    }

    /// On a full disk reads keep working and deleting a topic succeeds: its delete line goes into
    /// the room topics.log keeps for deletes, so an ordinary file system needs no reserve; on a
    /// copy-on-write one, where even that overwrite needs a free block, the disk reserve is
    /// released and the delete tried again. Afterwards produce works again and the reserve is taken
    /// again.
    @Test(arguments: [false, true])
    func deleteTopicOnAFullDisk(copyOnWrite: Bool) throws {
        let directory = TemporaryDirectory()
        let io = QuotaStorageIO(root: directory.path, copyOnWrite: copyOnWrite)
        var keep: [[UInt8]] = []
        var filled: [[UInt8]] = []
        let broker = try fullDiskBroker(directory, io, segmentBytes: 65536, keep: &keep)
        defer { try? broker.shutdown() }
        try fill(broker, io, into: &filled)
        try expectEveryRead(broker, TopicPartition(topic: "fill", partition: 0), produced: filled)
        try expectEveryRead(broker, TopicPartition(topic: "keep", partition: 0), produced: keep)

        try broker.deleteTopic("fill")
        #expect(broker.partitionsOf("fill") == nil)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/fill-0"))
        let released = notices(broker, .reserveReleased)
        if copyOnWrite {
            #expect(released.count == 1 && released[0].message.contains("deleting topic 'fill'"), "\(released)")
            #expect(!broker.storageStatus.diskReserveHeld)
        } else {
            #expect(released.isEmpty, "\(released)")
            #expect(broker.storageStatus.diskReserveHeld)
        }
        let big = [UInt8](repeating: 0x41, count: 4000)
        #expect(try broker.produce(topic: "keep", partition: 0, records: [ProducerRecord(value: big)])[0].offset == 5)
        try broker.createTopic("again", partitions: 1)
        #expect(try broker.produce(topic: "again", partition: 0, records: [ProducerRecord(value: big)])[0].offset == 0)
        broker.reserve.replenishIfRoom()
        #expect(broker.storageStatus.diskReserveHeld)
    }

    /// On a full disk deleting records needs a new checkpoint file: the disk reserve is released,
    /// the delete tried again and the segments below the new log start offset go, so produce works
    /// again; reads keep working throughout.
    @Test func deleteRecordsOnAFullDiskUsesTheReserve() throws {
        let directory = TemporaryDirectory()
        let io = QuotaStorageIO(root: directory.path)
        var keep: [[UInt8]] = []
        var filled: [[UInt8]] = []
        let broker = try fullDiskBroker(directory, io, segmentBytes: 16384, keep: &keep)
        defer { try? broker.shutdown() }
        let tp = TopicPartition(topic: "fill", partition: 0)
        try fill(broker, io, into: &filled)
        try expectEveryRead(broker, tp, produced: filled)
        let segments = segmentFiles(directory.path + "/fill-0")
        #expect(segments.count > 4)
        let before = try #require(segments[3].batches.first).baseOffset

        #expect(try broker.deleteRecords(tp, before: before) == before)
        let released = notices(broker, .reserveReleased)
        #expect(released.count == 1 && released[0].message.contains("deleting records of fill-0"), "\(released)")
        #expect(released.first?.message.contains("released the 64 KiB reserved") == true, "\(released)")
        #expect(!broker.storageStatus.diskReserveHeld)
        #expect(segmentFiles(directory.path + "/fill-0").map(\.name) == segments[3...].map(\.name))
        try expectEveryRead(broker, tp, produced: filled, from: before)
        try expectEveryRead(broker, TopicPartition(topic: "keep", partition: 0), produced: keep)
        let big = [UInt8](repeating: 0x41, count: 4000)
        #expect(
            try broker.produce(topic: "fill", partition: 0, records: [ProducerRecord(value: big)])[0].offset
                == Int64(filled.count))
        broker.reserve.replenishIfRoom()
        #expect(broker.storageStatus.diskReserveHeld)
    }
}

extension Broker {
    /// The partition count of `topic`, or nil when there is no such topic.
    fileprivate func partitionsOf(_ topic: String) -> Int32? { topics.partitionCount(of: topic) }
}

// MARK: - 8. Colliding topic names

extension StorageDamageTests {
    /// Names that collide once '.' and '_' are alike are refused with INVALID_TOPIC_EXCEPTION
    /// naming the other topic, before and after a restart, until the other topic is deleted; the
    /// same name again is TOPIC_ALREADY_EXISTS.
    @Test func topicNamesCollidingOnDotAndUnderscore() throws {
        let directory = TemporaryDirectory()
        func expectRefused(
            _ attempt: () throws(BrokerError) -> Void, sourceLocation: SourceLocation = #_sourceLocation
        ) {
            let error = #expect(throws: BrokerError.self, sourceLocation: sourceLocation) { try attempt() }
            guard case .invalidTopicName(let name, let reason)? = error else {
                Issue.record(
                    "expected invalidTopicName, got \(String(describing: error))", sourceLocation: sourceLocation)
                return
            }
            #expect(name == "a_b" && reason.contains("'a.b'"), "\(reason)", sourceLocation: sourceLocation)
            #expect(error?.kafkaErrorCode == 17, sourceLocation: sourceLocation)
        }
        func expectCollision(_ broker: Broker, sourceLocation: SourceLocation = #_sourceLocation) {
            expectRefused(
                { () throws(BrokerError) in _ = try broker.createTopic("a_b", partitions: 1) },
                sourceLocation: sourceLocation)
            expectRefused(
                { () throws(BrokerError) in try broker.validateNewTopic("a_b", partitions: 1, config: [:]) },
                sourceLocation: sourceLocation)
            expectRefused(
                { () throws(BrokerError) in _ = try broker.topics.createTopic("a_b", partitionCount: 1) },
                sourceLocation: sourceLocation)
            #expect(throws: BrokerError.topicAlreadyExists("a.b"), sourceLocation: sourceLocation) {
                try broker.createTopic("a.b", partitions: 1)
            }
            #expect(!FileManager.default.fileExists(atPath: directory.path + "/a_b-0"), sourceLocation: sourceLocation)
        }
        do {
            let broker = try Broker(config: damageTestConfig(directory.path), logger: quietLogger)
            try broker.createTopic("a.b", partitions: 1)
            expectCollision(broker)
            try broker.shutdown()
        }
        let broker = try Broker(config: damageTestConfig(directory.path), logger: quietLogger)
        defer { try? broker.shutdown() }
        expectCollision(broker)
        try broker.deleteTopic("a.b")
        try broker.createTopic("a_b", partitions: 1)
        #expect(broker.topics.topicNames.contains("a_b"))
    }
}

// MARK: - 9. Many partitions, few open files

extension StorageDamageTests {
    /// 50 partitions of several segments each, written and read in a shuffled order through a
    /// cache of 4 open segment files, before and after a clean restart and a crash: every record
    /// is right and the cache never holds more than 4 files.
    @Test func manyPartitionsThroughFourOpenFiles() throws {
        let directory = TemporaryDirectory()
        let capacity = 4
        var rng = SplitMix64(seed: 0x5EED)
        var produced: [TopicPartition: [[UInt8]]] = [:]
        let partitions = (0..<50).map { TopicPartition(topic: "wide", partition: Int32($0)) }
        func expectCacheWithinCapacity(_ broker: Broker, sourceLocation: SourceLocation = #_sourceLocation) {
            let files = broker.storageStatus.segmentFiles
            #expect(files.capacity == capacity, sourceLocation: sourceLocation)
            #expect(files.openFiles <= capacity, "\(files)", sourceLocation: sourceLocation)
        }
        func produceRound(_ broker: Broker) throws {
            for tp in partitions.shuffled(using: &rng) {
                let start = produced[tp, default: []].count
                let values = (start..<start + 3).map { damageTestValue(tp, $0) }
                let results = try broker.produce(
                    topic: tp.topic, partition: tp.partition, records: values.map { ProducerRecord(value: $0) })
                #expect(results.map(\.offset) == (start..<start + 3).map(Int64.init))
                produced[tp, default: []] += values
                expectCacheWithinCapacity(broker)
            }
        }
        func readShuffled(_ broker: Broker) throws {
            for tp in partitions.shuffled(using: &rng) {
                let values = produced[tp]!
                expectProduced(try readFrom(broker, tp, 0), values, 0...Int64(values.count - 1), "\(tp)")
                expectCacheWithinCapacity(broker)
                let middle = Int64.random(in: 0..<Int64(values.count), using: &rng)
                expectProduced(try readFrom(broker, tp, middle), values, middle...Int64(values.count - 1), "\(tp)")
                expectCacheWithinCapacity(broker)
            }
        }
        let open = { () throws(BrokerError) -> Broker in
            try Broker(config: damageTestConfig(directory.path, maxOpenSegmentFiles: capacity), logger: quietLogger)
        }
        do {
            let broker = try open()
            try broker.createTopic("wide", partitions: 50, config: ["segment.bytes": "400"])
            for _ in 0..<6 { try produceRound(broker) }
            try readShuffled(broker)
            #expect(segmentFiles(directory.path + "/wide-17").count >= 3)
            #expect(broker.storageStatus.segmentFiles.evictions > 0)
            try broker.shutdown()
        }
        do {
            let broker = try open()
            expectCacheWithinCapacity(broker)
            try readShuffled(broker)
            try produceRound(broker)
            // A crash: dropped without a shutdown.
        }
        let broker = try open()
        defer { try? broker.shutdown() }
        #expect(!broker.recoveredFromCleanShutdown)
        expectCacheWithinCapacity(broker)
        try readShuffled(broker)
        for tp in partitions { try expectEveryRead(broker, tp, produced: produced[tp]!) }
        expectCacheWithinCapacity(broker)
    }
}

// MARK: - Rebuilding from imperfect directories

extension StorageDamageTests {
    /// The rebuild works from what is there: the id most directories of a topic name wins, a
    /// directory that lost its partition.metadata adopts it, a directory naming another id is moved
    /// aside as a stray, and partitions below the highest one found that have no directory are
    /// created empty and reported.
    @Test func rebuildFromImperfectDirectories() throws {
        let seeded = try Seeded()
        let prices = { (p: Int32) in TopicPartition(topic: Seeded.prices, partition: p) }
        try FileManager.default.removeItem(atPath: seeded.path + "/topics.log")
        try FileManager.default.removeItem(atPath: seeded.partitionPath(prices(2)) + "/partition.metadata")
        try copyDirectory(seeded.ordersPath, to: seeded.partitionPath(prices(4)))
        try copyDirectory(seeded.partitionPath(prices(1)), to: seeded.partitionPath(prices(5)))
        let foreign = tree(seeded.partitionPath(prices(4)))
        let broker = try seeded.open(rebuild: true)
        defer { try? broker.shutdown() }
        let rebuilt = try #require(broker.metadataRebuild?.topics.first { $0.name == Seeded.prices })
        #expect(rebuilt.topicId == seeded.topicIds[Seeded.prices])
        #expect(rebuilt.partitionCount == 6 && rebuilt.missingPartitions == [3, 4], "\(rebuilt)")
        try expectMovedAside(broker, seeded, "prices-4", before: foreign)
        #expect(
            contents(seeded.partitionPath(prices(2)) + "/partition.metadata")
                == Array("version: 0\ntopic_id: \(seeded.topicIds[Seeded.prices]!.uuidString)\n".utf8))
        for p: Int32 in 0..<3 {
            try expectEveryRead(broker, prices(p), produced: seeded.produced[prices(p), default: []])
        }
        for p: Int32 in 3..<5 { try expectEveryRead(broker, prices(p), produced: []) }
        // The copy keeps the records it holds (under the offsets they had).
        expectProduced(try readFrom(broker, prices(5), 0), seeded.produced[prices(1)]!, 0...9, "prices-5")
        try expectEveryRead(broker, Seeded.ordersPartition, produced: seeded.produced[Seeded.ordersPartition]!)
    }
}

extension StorageDamageTests {
    /// Damage is reported (a notice, and the log) by whichever read or lookup finds it first,
    /// also one that starts past it in the same segment and only steps over it on the way.
    @Test(arguments: ["a read past it", "a lookup by time past it", "stats", "a read of it"])
    func damageIsReportedByWhateverFindsItFirst(_ first: String) throws {
        let seeded = try Seeded()
        let tp = Seeded.ordersPartition
        let segment = segmentFiles(seeded.ordersPath)[2]
        let damaged = segment.batches[1]
        let after = segment.batches[3]
        let afterTimestamp = bigEndian(segment.bytes, after.position + 35, 8)
        try BatchDamage.valueByte.apply(to: segment, batch: damaged)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(notices(broker, .damagedData).isEmpty)
        switch first {
        case "a read past it":
            expectProduced(
                try readFrom(broker, tp, after.baseOffset), seeded.produced[tp]!,
                after.baseOffset...Int64(seeded.produced[tp]!.count - 1), "past the damage")
        case "a lookup by time past it":
            #expect(try broker.offset(tp, for: .timestamp(afterTimestamp)) == after.baseOffset)
        case "stats":
            _ = try broker.describeTopic(Seeded.orders)
        default:
            #expect(corruptBatch { () throws(BrokerError) in _ = try readFrom(broker, tp, damaged.baseOffset) } != nil)
        }
        if first != "stats" {
            #expect(notices(broker, .damagedData).count == 1, "\(broker.notices.all)")
        }
        try expectEveryRead(broker, tp, produced: seeded.produced[tp]!, damaged: damaged.offsets)
        let reported = notices(broker, .damagedData)
        #expect(reported.count == 1, "\(reported)")
        #expect(reported.first?.message.contains("offsets \(damaged.baseOffset)–\(damaged.lastOffset)") == true)
    }
}

extension StorageDamageTests {
    /// A damaged batch of committed offsets costs only the commits in it: the broker starts, the
    /// other groups' offsets are back, and the damage is reported.
    @Test(arguments: [true, false])
    func damagedCommittedOffsetsCostOnlyTheirOwnCommits(clean: Bool) throws {
        let seeded = try Seeded()
        do {
            let broker = try seeded.open()
            for (group, offset) in [("g1", 11), ("g2", 12), ("g3", 13)] {
                try broker.groups.commitOffsets(
                    groupId: group, memberId: "", generation: -1,
                    offsets: [Seeded.ordersPartition: OffsetAndMetadata(offset: Int64(offset))])
            }
            if clean { try broker.shutdown() }
        }
        let offsetsPath = seeded.path + "/__consumer_offsets-0"
        let segment = try #require(segmentFiles(offsetsPath).first)
        // Batches: g's commit from seeding, then g1, g2, g3.
        #expect(segment.batches.count == 4)
        try BatchDamage.valueByte.apply(to: segment, batch: segment.batches[2])
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        #expect(broker.groups.fetchOffsets(groupId: "g1")[Seeded.ordersPartition]?.offset == 11)
        #expect(broker.groups.fetchOffsets(groupId: "g2").isEmpty)
        #expect(broker.groups.fetchOffsets(groupId: "g3")[Seeded.ordersPartition]?.offset == 13)
        #expect(broker.groups.fetchOffsets(groupId: "g")[Seeded.pricesPartition]?.offset == 7)
        #expect(notices(broker, .damagedData).first?.path == "__consumer_offsets-0/\(segment.name)")
        // New commits go after the damage and survive a restart.
        try broker.groups.commitOffsets(
            groupId: "g2", memberId: "", generation: -1,
            offsets: [Seeded.ordersPartition: OffsetAndMetadata(offset: 22)])
        try broker.shutdown()
        let reopened = try seeded.open()
        defer { try? reopened.shutdown() }
        #expect(reopened.groups.fetchOffsets(groupId: "g2")[Seeded.ordersPartition]?.offset == 22)
    }

    /// Describing and listing topics never fail on damage, also when the damaged batch holds the
    /// partition's first or last offset (the timestamps the listing shows): they are just unknown.
    @Test(arguments: ["first", "last"])
    func describeAndListSurviveDamageAtTheEdges(_ edge: String) throws {
        let seeded = try Seeded()
        let files = segmentFiles(seeded.ordersPath)
        let segment = edge == "first" ? files[0] : files[files.count - 1]
        let batch = edge == "first" ? segment.batches[0] : segment.batches[segment.batches.count - 1]
        try BatchDamage.valueByte.apply(to: segment, batch: batch)
        let broker = try seeded.open()
        defer { try? broker.shutdown() }
        let partition = try #require(try broker.describeTopic(Seeded.orders).partitions.first)
        #expect(
            partition.logStartOffset == 0
                && partition.highWatermark == Int64(seeded.produced[Seeded.ordersPartition]!.count))
        #expect((edge == "first" ? partition.firstTimestamp : partition.lastTimestamp) == nil)
        #expect((edge == "first" ? partition.lastTimestamp : partition.firstTimestamp) != nil)
        #expect(
            broker.listTopics().first { $0.name == Seeded.orders }?.messageCount
                == Int64(seeded.produced[Seeded.ordersPartition]!.count))
        try expectEveryRead(
            broker, Seeded.ordersPartition, produced: seeded.produced[Seeded.ordersPartition]!, damaged: batch.offsets)
    }

    /// A rebuild reads the deletes the damaged metadata file still holds: a directory left by a
    /// deleted topic is moved aside, not brought back as a topic.
    @Test func rebuildDoesNotBringBackDeletedTopics() throws {
        let dir = TemporaryDirectory()
        let elsewhere = TemporaryDirectory()
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.createTopic("gone", partitions: 1)
            try broker.createTopic("kept", partitions: 1, config: ["retention.ms": "7200000"])
            _ = try broker.produce(topic: "gone", partition: 0, records: [ProducerRecord(value: [1])])
            _ = try broker.produce(topic: "kept", partition: 0, records: [ProducerRecord(value: [2])])
            try broker.shutdown()
        }
        try FileManager.default.copyItem(atPath: dir.path + "/gone-0", toPath: elsewhere.path + "/gone-0")
        do {
            let broker = try Broker(config: BrokerConfig(dataDirectory: dir.path), logger: quietLogger)
            try broker.deleteTopic("gone")
            try broker.shutdown()
        }
        try FileManager.default.moveItem(atPath: elsewhere.path + "/gone-0", toPath: dir.path + "/gone-0")
        // Damage the header line, so the file is refused; every other line still checks.
        try flip(dir.path + "/topics.log", at: 2)
        var config = BrokerConfig(dataDirectory: dir.path)
        config.rebuildMetadata = true
        let broker = try Broker(config: config, logger: quietLogger)
        defer { try? broker.shutdown() }
        #expect(broker.topics.topicNames == [ConsumerOffsetsStore.topicName, "kept"])
        #expect(try broker.describeTopic("kept").configOverrides == ["retention.ms": "7200000"])
        #expect(broker.metadataRebuild?.deletedTopicDirectories == ["gone-0"])
        #expect(entries(in: dir.path, matching: #"gone-0\.[0-9a-f]{32}-stray"#).count == 1)
        #expect(try broker.fetch(TopicPartition(topic: "kept", partition: 0), from: 0).records.map(\.value) == [[2]])
    }
}
