#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``StorageIO/openFile(_:mode:)`` opens a file. Files are always opened for reading and writing.
public enum StorageOpenMode: Hashable, Sendable {
    /// The file must exist.
    case existing
    /// Create an empty file when it does not exist.
    case create
    /// Create the file, or cut it to zero bytes when it exists.
    case truncate
}

/// One open file: a reference-counted owner of a file descriptor, closed when the last reference
/// goes away.
///
/// Readers hold a ``StorageFile`` (through the segment that owns it) for as long as they read, so
/// retention may delete a segment while a reader is still in the middle of it: the name goes away
/// at once, the descriptor (and the data) only when the reader lets go.
public final class StorageFile: Sendable {
    /// The operating system's file descriptor.
    public let descriptor: Int32
    /// The path the file was opened with.
    public let path: String

    /// Takes ownership of `descriptor`, which is closed when this object is released.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// The file name relative to the data directory (`<topic>-<partition>/<file>`), for messages.
    public var displayName: String { StorageFile.displayName(of: path) }

    /// The last two components of `path`: `<topic>-<partition>/<file>` for partition files.
    public static func displayName(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).suffix(2).joined(separator: "/")
    }

    deinit {
        _ = systemClose(descriptor)
    }
}

/// The file-system operations the storage layer uses, as a seam: tests inject failures (a full
/// disk, a failing `fsync`) by wrapping ``PosixStorageIO``.
///
/// Every failure is a ``BrokerError/storage(_:)`` whose message reads
/// `"<operation> <topic-partition>/<file>: <reason>"`.
public protocol StorageIO: Sendable {
    /// Opens (and maybe creates or empties) the file at `path` for reading and writing.
    func openFile(_ path: String, mode: StorageOpenMode) throws(BrokerError) -> StorageFile
    /// Writes all of `bytes` at byte `offset` of `file` (looping over short writes).
    func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError)
    /// Reads into `buffer` from byte `offset` until it is full or the file ends; returns the
    /// number of bytes read.
    func read(
        _ file: StorageFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    ) throws(BrokerError)
        -> Int
    /// Flushes the file's data and metadata to the device (`fsync`).
    func sync(_ file: StorageFile) throws(BrokerError)
    /// Cuts or extends the file to `size` bytes.
    func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError)
    /// The file's size in bytes.
    func size(of file: StorageFile) throws(BrokerError) -> Int64
    /// The file's last modification time in milliseconds since the epoch.
    func modificationTime(of file: StorageFile) throws(BrokerError) -> Int64
    /// Whether something exists at `path`.
    func fileExists(_ path: String) -> Bool
    /// Size, modification time and kind of what is at `path` (not following a final symbolic
    /// link), or `nil` when nothing is there. Lets the storage learn a segment's size without
    /// holding its file open.
    func status(ofPath path: String) throws(BrokerError) -> FileStatus?
    /// Atomically renames `source` to `destination`, replacing it.
    func rename(_ source: String, to destination: String) throws(BrokerError)
    /// Removes the file at `path`; a missing file is not an error.
    func removeFile(_ path: String) throws(BrokerError)
    /// Creates the directory and any missing parents (`mkdir -p`).
    func createDirectory(_ path: String) throws(BrokerError)
    /// The names (not paths) of the entries of a directory, without `.` and `..`.
    func contentsOfDirectory(_ path: String) throws(BrokerError) -> [String]
    /// Removes a directory and everything inside it; a missing directory is not an error.
    func removeDirectoryTree(_ path: String) throws(BrokerError)
    /// Flushes a directory's entries (new, renamed and removed names) to the device.
    func syncDirectory(_ path: String) throws(BrokerError)
}

extension StorageIO {
    /// The whole contents of the file at `path`, or `nil` when there is no such file.
    func readWholeFile(_ path: String) throws(BrokerError) -> [UInt8]? {
        guard let status = try status(ofPath: path) else { return nil }
        guard status.size > 0 else { return [] }
        let file = try openFile(path, mode: .existing)
        let size = status.size
        guard size <= Int64(Int32.max) else {
            throw .storage("read \(file.displayName): file of \(size) bytes is too large to load")
        }
        var bytes = [UInt8].uninitialized(count: Int(size))
        let read = try bytes.withMutableBytes { (buffer) throws(BrokerError) -> Int in
            try self.read(file, into: buffer, at: 0)
        }
        if read < bytes.count { bytes.removeLast(bytes.count - read) }
        return bytes
    }

    /// Replaces the file at `path` with `bytes` so that a crash leaves either the old or the new
    /// contents: write `<path>.tmp`, `fsync` it, rename it over `path`, `fsync` the directory.
    func writeFileAtomically(_ path: String, _ bytes: [UInt8], directory: String) throws(BrokerError) {
        let temporary = path + ".tmp"
        do {
            let file = try openFile(temporary, mode: .truncate)
            try bytes.withBytes { (raw) throws(BrokerError) in try write(file, raw, at: 0) }
            try sync(file)
            try rename(temporary, to: path)
        } catch {
            try? removeFile(temporary)
            throw error
        }
        try syncDirectory(directory)
    }
}

/// What ``StorageIO/status(ofPath:)`` reports about a path.
public struct FileStatus: Hashable, Sendable {
    /// Size in bytes.
    public var size: Int64
    /// Last modification, milliseconds since the epoch.
    public var modificationTime: Int64
    /// Whether it is a directory.
    public var isDirectory: Bool

    /// Creates a status.
    public init(size: Int64, modificationTime: Int64, isDirectory: Bool) {
        self.size = size
        self.modificationTime = modificationTime
        self.isDirectory = isDirectory
    }
}

/// A ``StorageIO`` that passes every call on to ``base``: conform to it and implement only the
/// calls to change, e.g. to inject a full disk or an I/O error in tests.
public protocol ForwardingStorageIO: StorageIO {
    /// Where calls go that the conforming type does not implement itself.
    var base: any StorageIO { get }
}

extension ForwardingStorageIO {
    public func openFile(_ path: String, mode: StorageOpenMode) throws(BrokerError) -> StorageFile {
        try base.openFile(path, mode: mode)
    }
    public func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        try base.write(file, bytes, at: offset)
    }
    public func read(
        _ file: StorageFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    )
        throws(BrokerError) -> Int
    {
        try base.read(file, into: buffer, at: offset)
    }
    public func sync(_ file: StorageFile) throws(BrokerError) { try base.sync(file) }
    public func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError) {
        try base.truncate(file, to: size)
    }
    public func size(of file: StorageFile) throws(BrokerError) -> Int64 { try base.size(of: file) }
    public func modificationTime(of file: StorageFile) throws(BrokerError) -> Int64 {
        try base.modificationTime(of: file)
    }
    public func fileExists(_ path: String) -> Bool { base.fileExists(path) }
    public func status(ofPath path: String) throws(BrokerError) -> FileStatus? { try base.status(ofPath: path) }
    public func rename(_ source: String, to destination: String) throws(BrokerError) {
        try base.rename(source, to: destination)
    }
    public func removeFile(_ path: String) throws(BrokerError) { try base.removeFile(path) }
    public func createDirectory(_ path: String) throws(BrokerError) { try base.createDirectory(path) }
    public func contentsOfDirectory(_ path: String) throws(BrokerError) -> [String] {
        try base.contentsOfDirectory(path)
    }
    public func removeDirectoryTree(_ path: String) throws(BrokerError) { try base.removeDirectoryTree(path) }
    public func syncDirectory(_ path: String) throws(BrokerError) { try base.syncDirectory(path) }
}

/// ``StorageIO`` on POSIX system calls: `open`, `pwrite`, `pread`, `fsync`, `ftruncate`, …
/// Interrupted calls (`EINTR`) are retried and short reads and writes are continued.
public struct PosixStorageIO: StorageIO {
    /// Creates the POSIX storage.
    public init() {}

    /// `open(2)` with `O_RDWR | O_CLOEXEC` (plus `O_CREAT`/`O_TRUNC` by `mode`), mode 0644.
    public func openFile(_ path: String, mode: StorageOpenMode) throws(BrokerError) -> StorageFile {
        var flags = O_RDWR | O_CLOEXEC
        switch mode {
        case .existing: break
        case .create: flags |= O_CREAT
        case .truncate: flags |= O_CREAT | O_TRUNC
        }
        while true {
            let fd = systemOpen(path, flags, 0o644)
            if fd >= 0 { return StorageFile(descriptor: fd, path: path) }
            let code = errno
            if code == EINTR { continue }
            throw Self.error("open", path, code)
        }
    }

    /// `pwrite(2)` in a loop until every byte is written.
    public func write(_ file: StorageFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(BrokerError) {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            let result = pwrite(file.descriptor, base + written, bytes.count - written, off_t(offset) + off_t(written))
            if result > 0 {
                written += result
            } else if result == 0 {
                throw Self.error("write", file.path, EIO)
            } else {
                let code = errno
                if code == EINTR { continue }
                throw Self.error("write", file.path, code)
            }
        }
    }

    /// `pread(2)` in a loop until the buffer is full or the file ends.
    public func read(
        _ file: StorageFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64
    )
        throws(BrokerError) -> Int
    {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let result = pread(file.descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if result > 0 {
                done += result
            } else if result == 0 {
                break
            } else {
                let code = errno
                if code == EINTR { continue }
                throw Self.error("read", file.path, code)
            }
        }
        return done
    }

    /// `fsync(2)`.
    public func sync(_ file: StorageFile) throws(BrokerError) {
        try Self.retrying("fsync", file.path) { fsync(file.descriptor) }
    }

    /// `ftruncate(2)`.
    public func truncate(_ file: StorageFile, to size: Int64) throws(BrokerError) {
        try Self.retrying("truncate", file.path) { ftruncate(file.descriptor, off_t(size)) }
    }

    /// `st_size` from `fstat(2)`.
    public func size(of file: StorageFile) throws(BrokerError) -> Int64 {
        Int64(try Self.status(of: file).st_size)
    }

    /// `st_mtim` from `fstat(2)`, in milliseconds.
    public func modificationTime(of file: StorageFile) throws(BrokerError) -> Int64 {
        Self.milliseconds(modifiedAt: try Self.status(of: file))
    }

    /// `lstat(2)`: size, `st_mtim` in milliseconds and whether it is a directory; `nil` for `ENOENT`.
    public func status(ofPath path: String) throws(BrokerError) -> FileStatus? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw Self.error("stat", path, code)
        }
        return FileStatus(
            size: Int64(status.st_size), modificationTime: Self.milliseconds(modifiedAt: status),
            isDirectory: (status.st_mode & S_IFMT) == S_IFDIR)
    }

    private static func milliseconds(modifiedAt status: stat) -> Int64 {
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// Whether `lstat(2)` finds `path`.
    public func fileExists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// `rename(2)`.
    public func rename(_ source: String, to destination: String) throws(BrokerError) {
        try Self.retrying("rename", source) { systemRename(source, destination) }
    }

    /// `unlink(2)`, ignoring `ENOENT`.
    public func removeFile(_ path: String) throws(BrokerError) {
        if unlink(path) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw Self.error("delete", path, code)
        }
    }

    /// `mkdir(2)` for each missing component, mode 0755.
    public func createDirectory(_ path: String) throws(BrokerError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o755) != 0 {
                let code = errno
                var status = stat()
                let isDirectory = stat(prefix, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
                if !(code == EEXIST && isDirectory) {
                    throw Self.error("create directory", prefix, code == EEXIST ? ENOTDIR : code)
                }
            }
            prefix += "/"
        }
    }

    /// `opendir(3)`/`readdir(3)`.
    public func contentsOfDirectory(_ path: String) throws(BrokerError) -> [String] {
        guard let directory = opendir(path) else { throw Self.error("list", path, errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: pointer.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Depth-first `unlink(2)` and `rmdir(2)`.
    public func removeDirectoryTree(_ path: String) throws(BrokerError) {
        var status = stat()
        if lstat(path, &status) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw Self.error("delete", path, code)
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            try removeFile(path)
            return
        }
        for name in try contentsOfDirectory(path) {
            try removeDirectoryTree(path + "/" + name)
        }
        if rmdir(path) != 0 {
            let code = errno
            if code != ENOENT { throw Self.error("delete directory", path, code) }
        }
    }

    /// `fsync(2)` on the directory opened read-only.
    public func syncDirectory(_ path: String) throws(BrokerError) {
        let fd = systemOpen(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0)
        guard fd >= 0 else { throw Self.error("fsync directory", path, errno) }
        defer { _ = systemClose(fd) }
        try Self.retrying("fsync directory", path) { fsync(fd) }
    }

    /// The ``BrokerError/storage(_:)`` for `operation` on `path` failing with `code`.
    public static func error(_ operation: String, _ path: String, _ code: Int32) -> BrokerError {
        .storage("\(operation) \(StorageFile.displayName(of: path)): \(String(cString: strerror(code)))")
    }

    private static func status(of file: StorageFile) throws(BrokerError) -> stat {
        var status = stat()
        guard fstat(file.descriptor, &status) == 0 else { throw error("stat", file.path, errno) }
        return status
    }

    private static func retrying(_ operation: String, _ path: String, _ call: () -> Int32) throws(BrokerError) {
        while call() != 0 {
            let code = errno
            if code != EINTR { throw error(operation, path, code) }
        }
    }
}

// The C functions whose names collide with methods above.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
