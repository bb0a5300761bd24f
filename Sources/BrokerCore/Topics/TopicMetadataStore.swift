// On-disk format of the topic metadata file, `<data-dir>/topics.json`:
//
//     {
//       "version": 1,
//       "topics": [
//         { "name": "prices", "topicId": "5A0C…-UUID", "partitionCount": 3,
//           "config": { "retention.ms": "86400000" },   // overrides only; the rest are defaults
//           "createdAt": 1700000000000 }                 // milliseconds since the epoch
//       ]
//     }
//
// The file is replaced atomically: the new content is written to `topics.json.tmp`, fsynced,
// renamed over `topics.json`, and the directory is fsynced, so a crash at any point leaves
// either the old or the new file, never a torn one. A leftover `.tmp` is ignored on load.
//
// Each partition directory also holds Kafka's `partition.metadata` file:
//
//     version: 0
//     topic_id: <UUID>
//
// so that a directory left behind by a deleted topic is never mistaken for a new topic of
// the same name.

import Foundation

/// One topic as persisted in the metadata file.
public struct TopicRecord: Codable, Hashable, Sendable {
    /// The topic name.
    public var name: String
    /// The topic's UUID, assigned at creation.
    public var topicId: UUID
    /// The number of partitions.
    public var partitionCount: Int32
    /// Config overrides (Kafka names); everything else is the broker default.
    public var config: [String: String]
    /// Creation time, milliseconds since the epoch.
    public var createdAt: Int64

    /// Creates a topic record.
    public init(name: String, topicId: UUID, partitionCount: Int32, config: [String: String], createdAt: Int64) {
        self.name = name
        self.topicId = topicId
        self.partitionCount = partitionCount
        self.config = config
        self.createdAt = createdAt
    }
}

/// Reads and atomically replaces the topic metadata file of a data directory.
public struct TopicMetadataStore: Sendable {
    private struct FileContent: Codable {
        var version: Int
        var topics: [TopicRecord]
    }

    /// The file name inside the data directory.
    public static let fileName = "topics.json"
    /// The data directory.
    public let dataDirectory: String
    private let io: any StorageIO

    /// Creates a store for `dataDirectory`, doing file I/O through `io`.
    public init(dataDirectory: String, io: any StorageIO) {
        self.dataDirectory = dataDirectory
        self.io = io
    }

    private var path: String { dataDirectory + "/" + Self.fileName }

    /// Loads all topics; an absent file means no topics yet.
    /// - Throws: ``BrokerError/storage(_:)`` when the file exists but cannot be read or parsed.
    public func load() throws(BrokerError) -> [TopicRecord] {
        guard let bytes = try io.readWholeFile(path) else { return [] }
        do {
            let content = try JSONDecoder().decode(FileContent.self, from: Data(bytes))
            guard content.version == 1 else {
                throw BrokerError.storage(
                    "\(Self.fileName) has version \(content.version); this Skiff understands version 1")
            }
            return content.topics
        } catch let error as BrokerError {
            throw error
        } catch {
            throw .storage("\(Self.fileName) is not valid topic metadata: \(error)")
        }
    }

    /// Atomically replaces the file with `topics`.
    public func save(_ topics: [TopicRecord]) throws(BrokerError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(FileContent(version: 1, topics: topics.sorted { $0.name < $1.name }))
        } catch {
            throw .storage("cannot encode topic metadata: \(error)")
        }
        try io.writeFileAtomically(path, Array(data), directory: dataDirectory)
    }

    /// The content of a partition directory's `partition.metadata` file for `topicId`.
    public static func partitionMetadata(topicId: UUID) -> [UInt8] {
        Array("version: 0\ntopic_id: \(topicId.uuidString)\n".utf8)
    }

    /// Parses the topic id out of a `partition.metadata` file; nil when malformed.
    public static func topicId(fromPartitionMetadata bytes: [UInt8]) -> UUID? {
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("topic_id:") {
            return UUID(uuidString: line.dropFirst("topic_id:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
