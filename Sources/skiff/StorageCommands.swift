import ArgumentParser
import BrokerCore
import Foundation
import SkiffText

/// `skiff storage`: offline tools for a broker's data directory.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Inspect a broker's data directory on disk.",
        subcommands: [StorageVerifyCommand.self])
}

/// `skiff storage verify DIR`: every batch of every segment and every index, like
/// `kafka-dump-log --deep-iteration`, read-only.
struct StorageVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record batch, index and checkpoint of a data directory; exit 1 on damage.",
        discussion: """
            Reads the directory and changes nothing. For each partition directory it checks every batch \
            (header, length, offset continuity, CRC-32C), the offset and time indexes, the checkpoints and \
            partition.metadata against topics.log, and prints a line per partition, then each problem. \
            Exit status: 0 when everything is intact, 1 when something is damaged. Best run on a stopped \
            broker: a running one may append while the active segments are read.
            """)

    @Argument(help: ArgumentHelp("The data directory (the broker's --data-dir).", valueName: "dir"))
    var directory: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Output: Encodable {
        struct Partition: Encodable {
            var directory: String
            var intact: Bool
            var segments: Int
            var batches: Int
            var records: Int64
            var bytes: Int64
            var firstOffset: Int64?
            var endOffset: Int64?
            var damage: [Damage]
            var problems: [String]
            var cutFiles: [String]
        }
        struct Damage: Encodable {
            var segment: String
            var position: Int
            var length: Int
            var firstOffset: Int64
            var lastOffset: Int64
            var reason: String
        }
        var dataDirectory: String
        var intact: Bool
        var partitions: [Partition]
        var problems: [String]
        var strays: [String]
    }

    mutating func run() async throws {
        let path = BrokerCommand.resolveDataDirectory(directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(SafeText.escape(path)) is not a directory")
        }
        let inUse = Broker.isDataDirectoryInUse(path)
        let result: StorageVerification
        do {
            result = try StorageVerifier.verify(dataDirectory: path)
        } catch {
            throw CLIError("cannot verify \(SafeText.escape(path)): \(error)")
        }
        if json {
            try JSON.print(
                Output(
                    dataDirectory: path, intact: result.isIntact,
                    partitions: result.partitions.map { p in
                        Output.Partition(
                            directory: p.directoryName, intact: p.isIntact, segments: p.segmentCount,
                            batches: p.validBatches, records: p.records, bytes: p.logBytes, firstOffset: p.firstOffset,
                            endOffset: p.endOffset,
                            damage: p.damage.map {
                                Output.Damage(
                                    segment: $0.segmentFileName, position: $0.position, length: $0.length,
                                    firstOffset: $0.firstOffset, lastOffset: $0.lastOffset, reason: $0.reason)
                            }, problems: p.problems, cutFiles: p.cutFiles)
                    }, problems: result.problems, strays: result.strays))
        } else {
            if inUse {
                Console.error(
                    "skiff: note: a broker is running on \(SafeText.escape(path)); its active segments may change while they are read"
                )
            }
            var table = Table([
                ("PARTITION", .left), ("SEGMENTS", .right), ("BATCHES", .right), ("RECORDS", .right),
                ("SIZE", .right), ("OFFSETS", .left), ("STATUS", .left),
            ])
            for p in result.partitions {
                // Inclusive, like the damaged: lines; an empty log says where its next record goes.
                let offsets =
                    p.firstOffset.map { first in
                        let end = p.endOffset ?? first
                        return end > first ? "\(first)–\(end - 1)" : "empty (next \(end))"
                    } ?? "-"
                let status =
                    p.isIntact
                    ? (p.cutFiles.isEmpty
                        ? "ok" : "ok, \(p.cutFiles.count) cut tail\(p.cutFiles.count == 1 ? "" : "s") kept")
                    : "DAMAGED"
                table.add([
                    p.directoryName, "\(p.segmentCount)", Format.count(Int64(p.validBatches)), Format.count(p.records),
                    Format.bytes(p.logBytes), offsets, status,
                ])
            }
            if !table.isEmpty { table.print() }
            for problem in result.problems { Console.line("problem: \(problem)") }
            for p in result.partitions {
                for d in p.damage {
                    let hidden =
                        d.lastOffset >= d.firstOffset ? "offsets \(d.firstOffset)–\(d.lastOffset)" : "no offsets"
                    Console.line(
                        "damaged: \(p.directoryName)/\(d.segmentFileName) bytes \(d.position)–\(d.end - 1) (\(hidden)): \(d.reason)"
                    )
                }
                for problem in p.problems { Console.line("problem: \(p.directoryName): \(problem)") }
                for cut in p.cutFiles {
                    Console.line("kept: \(p.directoryName)/\(cut) (bytes recovery cut from a log)")
                }
            }
            for stray in result.strays { Console.line("stray: \(stray) (moved aside by the broker; not served)") }
            let damaged = result.partitions.filter { !$0.isIntact }.count
            Console.line(
                "\(result.partitions.count) partition\(result.partitions.count == 1 ? "" : "s") checked: \(result.partitions.count - damaged) intact, \(damaged) damaged"
                    + (result.problems.isEmpty ? "" : "; the topic metadata has problems"))
        }
        Console.flush()
        if !result.isIntact { throw ExitCode(1) }
    }
}
