// On-disk format of the topic metadata, `<data-dir>/topics.log`: an append-only log of text lines,
// so creating, deleting or changing a topic writes one line, whatever the number of topics.
//
//     skiff-topics-log 1\n                                       header, exactly this line
//     <crc> topic name=<n> id=<uuid> partitions=<p> created=<ms> config=<k>:<v>,…\n
//     <crc> delete name=<n> id=<uuid> partitions=<p>\n
//     \0\0\0 …                                                  preallocated space
//
// * `<crc>` is the CRC-32C of the rest of the line (from the byte after the space to the byte
//   before `\n`), as 8 lowercase hex digits.
// * A `topic` line creates the topic or replaces everything known about it (a config change or
//   new partitions); a `delete` line records that topic id `id` was deleted, so the partition
//   directories it may have left behind can be recognised and removed.
// * Values are percent-encoded: every byte outside `[A-Za-z0-9._-]` is written `%XX`. `config`
//   holds the topic's overrides only (the rest are the broker defaults); it may be empty.
// * The file is preallocated with zero bytes in steps of 1 MiB: appending overwrites zeros in
//   place (no new blocks, so a durable append costs one cheap `fsync`, and there is room for a
//   `delete` line even on a full disk). The lines end where only zero bytes follow; zero bytes
//   inside a line, or with lines after them, make that line bad like a failed CRC.
// * A line that fails its CRC or does not parse, with nothing valid after it, is a torn append
//   from a crash and is ignored (it was never acknowledged); its bytes are zeroed at start and the
//   next append goes in their place. Such a line followed by valid lines means the file is
//   damaged: the broker refuses to start and `skiff broker --rebuild-metadata` rebuilds the file
//   from the partition directories.
// * When the log holds more than twice the lines it needs (plus 1,000), it is rewritten as a
//   snapshot: `topics.log.tmp` written, fsynced and renamed over `topics.log`, the directory
//   fsynced, so a crash leaves the old or the new file.
//
// Skiff before this format kept `topics.json` (one JSON document replaced atomically); a data
// directory that has only that file is migrated at start and the file renamed
// `topics.json.migrated`.
//
// Each partition directory also holds Kafka's `partition.metadata` file:
//
//     version: 0
//     topic_id: <UUID>
//
// so that a directory left behind by a deleted topic is never mistaken for a new topic of
// the same name.

import Foundation
import Synchronization

/// One topic as persisted in the metadata log.
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

/// A topic the metadata log records as deleted.
public struct DeletedTopic: Hashable, Sendable {
    /// Its name.
    public var name: String
    /// Its id.
    public var topicId: UUID
    /// How many partitions it had.
    public var partitionCount: Int32
}

/// What the metadata log holds.
struct TopicMetadataContents: Sendable {
    var topics: [String: TopicRecord] = [:]
    var deleted: [UUID: DeletedTopic] = [:]
    /// Lines in the file (the header excluded).
    var lines = 0
    /// Where the next line goes.
    var end = 0
    /// Bytes of a torn last line that were ignored.
    var tornBytes = 0
    /// The file was `topics.json` (the old format) and must be written anew.
    var fromLegacyFile = false
}

/// Reads and appends to the topic metadata log of a data directory (format above). Callers
/// serialize changes (the registry's lock); the lock inside only guards the file position.
final class TopicMetadataLog: Sendable {
    /// The file name inside the data directory.
    static let fileName = "topics.log"
    /// The file of the format before this one.
    static let legacyFileName = "topics.json"
    static let header = "skiff-topics-log 1\n"
    static let preallocationStep = 1 << 20
    /// Room a create must leave for later deletes when the file cannot grow (a full disk).
    static let deleteReserve = 16 << 10

    let dataDirectory: String
    private let io: any StorageIO
    private let state: Mutex<State>

    private struct State {
        var file: StorageFile
        var end: Int
        var allocated: Int
        var lines: Int
    }

    var path: String { Self.path(in: dataDirectory) }
    static func path(in dataDirectory: String) -> String { dataDirectory + "/" + fileName }

    private init(dataDirectory: String, io: any StorageIO, file: StorageFile, end: Int, allocated: Int, lines: Int) {
        self.dataDirectory = dataDirectory
        self.io = io
        self.state = Mutex(State(file: file, end: end, allocated: allocated, lines: lines))
    }

    // MARK: Loading

    /// The metadata of `dataDirectory`: `topics.log`, else the old `topics.json`; `nil` when
    /// neither exists.
    /// - Throws: ``BrokerError/metadataUnusable(_:)`` when the file exists but is damaged.
    static func load(dataDirectory: String, io: any StorageIO) throws(BrokerError) -> TopicMetadataContents? {
        if let bytes = try io.readWholeFile(path(in: dataDirectory)) {
            return try parse(bytes)
        }
        if let legacy = try io.readWholeFile(dataDirectory + "/" + legacyFileName) {
            return try parseLegacy(legacy)
        }
        return nil
    }

    private static func parse(_ bytes: [UInt8]) throws(BrokerError) -> TopicMetadataContents {
        let headerBytes = Array(header.utf8)
        guard bytes.count >= headerBytes.count, Array(bytes[0..<headerBytes.count]) == headerBytes else {
            throw .metadataUnusable("\(fileName) does not start with the line 'skiff-topics-log 1'")
        }
        var contents = TopicMetadataContents()
        var position = headerBytes.count
        var firstBad: (position: Int, reason: String)?
        var lineNumber = 1
        // The lines end where only the preallocated zeros follow: zero bytes with data after them
        // are damage (or a torn append whose middle never reached the disk), not the end.
        let dataEnd = (bytes.lastIndex { $0 != 0 } ?? 0) + 1
        while position < dataEnd {
            lineNumber += 1
            guard let newline = bytes[position..<dataEnd].firstIndex(of: 0x0A) else {
                firstBad = firstBad ?? (position, "line \(lineNumber) is incomplete")
                break
            }
            if bytes[position..<newline].contains(0) {
                firstBad = firstBad ?? (position, "line \(lineNumber) holds a zero byte")
                position = newline + 1
                continue
            }
            let line = bytes[position..<newline]
            do throws(BrokerError) {
                let entry = try parseLine(line)
                if let bad = firstBad {
                    throw BrokerError.metadataUnusable(
                        "\(fileName) is damaged at byte \(bad.position): \(bad.reason), and valid lines follow it")
                }
                switch entry {
                case .topic(let record):
                    contents.topics[record.name] = record
                    contents.deleted[record.topicId] = nil
                case .delete(let deleted):
                    if contents.topics[deleted.name]?.topicId == deleted.topicId { contents.topics[deleted.name] = nil }
                    contents.deleted[deleted.topicId] = deleted
                }
                contents.lines += 1
                contents.end = newline + 1
            } catch .metadataUnusable(let message) {
                throw .metadataUnusable(message)
            } catch {
                firstBad = firstBad ?? (position, "line \(lineNumber): \(error)")
            }
            position = newline + 1
        }
        if contents.end == 0 { contents.end = headerBytes.count }
        if firstBad != nil { contents.tornBytes = dataEnd - contents.end }
        return contents
    }

    /// What can still be read from a damaged (or old-format) metadata file: every line that
    /// passes its CRC and parses, applied in order, whatever surrounds it. For
    /// `--rebuild-metadata`, which keeps the configs of topics it recognises and the deletes.
    static func salvage(_ bytes: [UInt8]) -> TopicMetadataContents {
        if (try? parseLegacy(bytes)).map({ !$0.topics.isEmpty }) == true, let legacy = try? parseLegacy(bytes) {
            return legacy
        }
        var contents = TopicMetadataContents()
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let trimmed = line.drop { $0 == 0 }
            guard let entry = try? parseLine(ArraySlice(trimmed)) else { continue }
            switch entry {
            case .topic(let record):
                contents.topics[record.name] = record
                contents.deleted[record.topicId] = nil
            case .delete(let deleted):
                if contents.topics[deleted.name]?.topicId == deleted.topicId { contents.topics[deleted.name] = nil }
                contents.deleted[deleted.topicId] = deleted
            }
            contents.lines += 1
        }
        return contents
    }

    /// One line of the log.
    enum Entry: Hashable, Sendable {
        case topic(TopicRecord)
        case delete(DeletedTopic)
    }

    private static func parseLine(_ line: ArraySlice<UInt8>) throws(BrokerError) -> Entry {
        guard line.count > 9, line[line.startIndex + 8] == 0x20,
            let crc = UInt32(String(decoding: line.prefix(8), as: UTF8.self), radix: 16)
        else { throw .corruptRecord("no checksum") }
        let body = line.dropFirst(9)
        guard body.withUnsafeBytes({ CRC32C.checksum($0) }) == crc else { throw .corruptRecord("checksum mismatch") }
        let words = body.split(separator: 0x20)
        guard let op = words.first else { throw .corruptRecord("empty line") }
        var fields: [String: String] = [:]
        for word in words.dropFirst() {
            guard let equals = word.firstIndex(of: 0x3D) else { throw .corruptRecord("a field without '='") }
            fields[String(decoding: word[word.startIndex..<equals], as: UTF8.self)] = try decode(
                word[(equals + 1)...])
        }
        func field(_ key: String) throws(BrokerError) -> String {
            guard let value = fields[key] else { throw .corruptRecord("no \(key)") }
            return value
        }
        let name = try field("name")
        guard TopicName.isValid(name) else { throw .corruptRecord("invalid topic name") }
        guard let id = UUID(uuidString: try field("id")) else { throw .corruptRecord("invalid topic id") }
        guard let partitions = Int32(try field("partitions")), partitions >= 1,
            partitions <= TopicRegistry.maxPartitions
        else { throw .corruptRecord("invalid partition count") }
        switch String(decoding: op, as: UTF8.self) {
        case "topic":
            guard let created = Int64(try field("created")) else { throw .corruptRecord("invalid creation time") }
            var config: [String: String] = [:]
            let text = fields["config"] ?? ""
            for pair in text.split(separator: ",") {
                guard let colon = pair.firstIndex(of: ":") else { throw .corruptRecord("invalid config") }
                config[try decode(ArraySlice(pair[..<colon].utf8))] = try decode(
                    ArraySlice(pair[pair.index(after: colon)...].utf8))
            }
            return .topic(
                TopicRecord(name: name, topicId: id, partitionCount: partitions, config: config, createdAt: created))
        case "delete":
            return .delete(DeletedTopic(name: name, topicId: id, partitionCount: partitions))
        default:
            throw .corruptRecord("unknown entry kind")
        }
    }

    private static func parseLegacy(_ bytes: [UInt8]) throws(BrokerError) -> TopicMetadataContents {
        struct FileContent: Codable {
            var version: Int
            var topics: [TopicRecord]
        }
        let content: FileContent
        do {
            content = try JSONDecoder().decode(FileContent.self, from: Data(bytes))
        } catch {
            throw .metadataUnusable("\(legacyFileName) is not valid topic metadata: \(error)")
        }
        guard content.version == 1 else {
            throw .metadataUnusable(
                "\(legacyFileName) has version \(content.version); this Skiff understands version 1")
        }
        var contents = TopicMetadataContents()
        for topic in content.topics { contents.topics[topic.name] = topic }
        contents.fromLegacyFile = true
        return contents
    }

    // MARK: Writing

    /// The line for `entry`, CRC included.
    static func line(_ entry: Entry) -> [UInt8] {
        var body: String
        switch entry {
        case .topic(let t):
            let config = t.config.sorted { $0.key < $1.key }.map { encode($0.key) + ":" + encode($0.value) }
                .joined(separator: ",")
            body =
                "topic name=\(encode(t.name)) id=\(t.topicId.uuidString) partitions=\(t.partitionCount) created=\(t.createdAt) config=\(config)"
        case .delete(let d):
            body = "delete name=\(encode(d.name)) id=\(d.topicId.uuidString) partitions=\(d.partitionCount)"
        }
        let bytes = Array(body.utf8)
        let crc = String(CRC32C.checksum(bytes), radix: 16)
        return Array((String(repeating: "0", count: 8 - crc.count) + crc + " ").utf8) + bytes + [0x0A]
    }

    /// Writes a new log holding `entries` (atomically: temporary file, fsync, rename, directory
    /// fsync) and opens it for appending.
    static func create(
        dataDirectory: String, io: any StorageIO, entries: [Entry]
    ) throws(BrokerError) -> TopicMetadataLog {
        var bytes = Array(header.utf8)
        for entry in entries { bytes += line(entry) }
        let end = bytes.count
        let allocated = (end / preallocationStep + 1) * preallocationStep
        bytes += [UInt8](repeating: 0, count: allocated - end)
        let target = path(in: dataDirectory)
        try io.writeFileAtomically(target, bytes, directory: dataDirectory)
        let file = try io.openFile(target, mode: .existing)
        return TopicMetadataLog(
            dataDirectory: dataDirectory, io: io, file: file, end: end, allocated: allocated, lines: entries.count)
    }

    /// Opens the existing log whose contents were loaded, for appending after its last valid line.
    static func open(
        dataDirectory: String, io: any StorageIO, contents: TopicMetadataContents
    ) throws(BrokerError) -> TopicMetadataLog {
        let file = try io.openFile(path(in: dataDirectory), mode: .existing)
        let size = Int(try io.size(of: file))
        if contents.tornBytes > 0 {
            // Zero the torn line so that a shorter line written over it leaves nothing behind.
            let zeros = [UInt8](repeating: 0, count: contents.tornBytes)
            try zeros.withBytes { (raw) throws(BrokerError) in try io.write(file, raw, at: Int64(contents.end)) }
            try io.sync(file)
        }
        return TopicMetadataLog(
            dataDirectory: dataDirectory, io: io, file: file, end: contents.end, allocated: size,
            lines: contents.lines)
    }

    /// Appends one line and `fsync`s it. A `topic` line needs ``deleteReserve`` bytes of room left
    /// after it (so deletes still fit on a full disk); a `delete` line may use that room.
    func append(_ entry: Entry) throws(BrokerError) {
        let bytes = Self.line(entry)
        let isDelete: Bool
        if case .delete = entry { isDelete = true } else { isDelete = false }
        try state.withLock { (s) throws(BrokerError) in
            let needed = s.end + bytes.count + (isDelete ? 0 : Self.deleteReserve)
            if needed > s.allocated {
                let grown = (needed / Self.preallocationStep + 1) * Self.preallocationStep
                let zeros = [UInt8](repeating: 0, count: grown - s.allocated)
                do throws(BrokerError) {
                    try zeros.withBytes { (raw) throws(BrokerError) in
                        try io.write(s.file, raw, at: Int64(s.allocated))
                    }
                    s.allocated = grown
                } catch {
                    // Zeros that made it are harmless; without room the append fails.
                    if s.end + bytes.count > s.allocated || !isDelete { throw error }
                }
            }
            try bytes.withBytes { (raw) throws(BrokerError) in try io.write(s.file, raw, at: Int64(s.end)) }
            try io.sync(s.file)
            s.end += bytes.count
            s.lines += 1
        }
    }

    /// Lines in the file (the header excluded).
    var lineCount: Int { state.withLock { $0.lines } }

    /// Whether the log holds more than twice the lines `needed` (plus 1,000): time for a snapshot.
    func wantsCompaction(needed: Int) -> Bool { lineCount > 2 * needed + 1000 }

    // MARK: Partition directories

    /// The content of a partition directory's `partition.metadata` file for `topicId`.
    static func partitionMetadata(topicId: UUID) -> [UInt8] {
        Array("version: 0\ntopic_id: \(topicId.uuidString)\n".utf8)
    }

    /// Parses the topic id out of a `partition.metadata` file; nil when malformed.
    static func topicId(fromPartitionMetadata bytes: [UInt8]) -> UUID? {
        // Exactly what partitionMetadata(topicId:) writes, the final newline optional; anything else
        // is damage (a flipped byte must not pass as another topic id).
        let prefix = Array("version: 0\ntopic_id: ".utf8)
        guard bytes.count == prefix.count + 36 || (bytes.count == prefix.count + 37 && bytes.last == 0x0A),
            bytes.starts(with: prefix)
        else { return nil }
        return UUID(uuidString: String(decoding: bytes[prefix.count..<(prefix.count + 36)], as: UTF8.self))
    }

    // MARK: Percent-encoding

    private static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2E, 0x5F, 0x2D:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws(BrokerError) -> String {
        var out: [UInt8] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x25 {
                guard i + 2 < bytes.endIndex,
                    let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                else { throw .corruptRecord("bad percent-encoding") }
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw .corruptRecord("invalid UTF-8") }
        return text
    }
}
