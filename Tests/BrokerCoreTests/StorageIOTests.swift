import Foundation
import Testing

@testable import BrokerCore

struct StorageIOTests {
    let io = PosixStorageIO()

    /// Bytes written at an offset read back; reading past the end returns what exists.
    @Test func writeReadTruncateSize() throws {
        let directory = TemporaryDirectory()
        let file = try io.openFile(directory.path + "/data", mode: .create)
        let bytes: [UInt8] = Array("hello, segment".utf8)
        try bytes.withUnsafeBytes { try io.write(file, $0, at: 10) }
        #expect(try io.size(of: file) == 24)
        var buffer = [UInt8](repeating: 0, count: 30)
        let read = try buffer.withUnsafeMutableBytes { try io.read(file, into: $0, at: 10) }
        #expect(read == 14)
        #expect(Array(buffer[..<14]) == bytes)
        try io.truncate(file, to: 15)
        #expect(try io.size(of: file) == 15)
        try io.sync(file)
        #expect(try io.modificationTime(of: file) > 0)
    }

    /// mkdir -p, listing, rename, delete and recursive delete work, and missing files are not errors
    /// for deletion.
    @Test func directoryOperations() throws {
        let directory = TemporaryDirectory()
        let nested = directory.path + "/a/b/c"
        try io.createDirectory(nested)
        try io.createDirectory(nested)  // already there: fine
        _ = try io.openFile(nested + "/one", mode: .create)
        try io.rename(nested + "/one", to: nested + "/two")
        #expect(try io.contentsOfDirectory(nested) == ["two"])
        try io.syncDirectory(nested)
        try io.removeFile(nested + "/missing")
        try io.removeDirectoryTree(directory.path + "/a")
        #expect(!io.fileExists(directory.path + "/a"))
        try io.removeDirectoryTree(directory.path + "/a")
    }

    /// Errors name the operation, the file relative to the data directory (never an absolute path)
    /// and the system's reason.
    @Test func errorsNameOperationAndRelativeFile() throws {
        let directory = TemporaryDirectory()
        #expect(throws: BrokerError.storage("open events-0/00000000000000000000.log: No such file or directory")) {
            try io.openFile(directory.path + "/events-0/00000000000000000000.log", mode: .existing)
        }
        _ = try io.openFile(directory.path + "/plain", mode: .create)
        #expect(throws: BrokerError.self) { try io.createDirectory(directory.path + "/plain/sub") }
    }

    /// A file deleted while someone still holds its handle stays readable through that handle:
    /// what lets a reader finish a segment that retention deletes.
    @Test func deletedFileStaysReadableThroughHeldHandle() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/segment.log"
        let file = try io.openFile(path, mode: .create)
        try [UInt8](repeating: 7, count: 100).withUnsafeBytes { try io.write(file, $0, at: 0) }
        try io.removeFile(path)
        #expect(!io.fileExists(path))
        var buffer = [UInt8](repeating: 0, count: 100)
        #expect(try buffer.withUnsafeMutableBytes { try io.read(file, into: $0, at: 0) } == 100)
        #expect(buffer == [UInt8](repeating: 7, count: 100))
    }

    /// Atomic replacement leaves exactly the new contents and no temporary file.
    @Test func atomicFileReplacement() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/checkpoint"
        try io.writeFileAtomically(path, Array("old".utf8), directory: directory.path)
        try io.writeFileAtomically(path, Array("new".utf8), directory: directory.path)
        #expect(try io.readWholeFile(path) == Array("new".utf8))
        #expect(fileNames(in: directory.path) == ["checkpoint"])
        #expect(try io.readWholeFile(directory.path + "/missing") == nil)
    }
}
