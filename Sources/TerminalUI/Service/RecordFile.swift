import AdminClient
import AdminProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Saves records as a file of JSON lines (``RecordJSON``, the format of `skiff consume --json`).
/// The file is written beside its final name and linked into place only when complete, so a full
/// disk or a broker that goes away leaves no half file, and an existing file is never replaced.
enum RecordFile {
    /// Records read from the broker per fetch of a range.
    static let fetchRecords: Int32 = 1_000

    /// Writes `request` to `path` (`~/` is the home directory); the number of records written.
    static func save(
        _ request: SaveRequest, to path: String, service: any AdminService
    ) async -> Result<Int, SaveError> {
        let path = expandingHome(path)
        if access(path, F_OK) == 0 { return .failure(SaveError("\(path) exists: choose another name")) }
        let partial = path + ".skiff-partial-\(getpid())"
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(SaveError("cannot create \(path): \(lastError())")) }
        var count = 0
        func fail(_ message: String) -> Result<Int, SaveError> {
            close(fd)
            unlink(partial)
            return .failure(SaveError(message))
        }
        switch request {
        case .records(let topic, let records):
            var text = ""
            for r in records { text += RecordJSON.line(topic: topic, partition: r.partition, record: r.record) + "\n" }
            if let problem = write(fd, text) { return fail("writing \(path): \(problem)") }
            count = records.count
        case .range(let topic, let partition, let from, let through):
            var next = from
            while next <= through {
                let response: FetchResponse
                do {
                    response = try await service.fetch(
                        topic: topic, partition: partition, from: .offset(next), maxRecords: fetchRecords,
                        maxBytes: 4 << 20)
                } catch  where error.brokerErrorCode == .offsetOutOfRange && count == 0 {
                    // Retention moved the start past the mark: save from the oldest record left.
                    do {
                        response = try await service.fetch(
                            topic: topic, partition: partition, from: .earliest, maxRecords: fetchRecords,
                            maxBytes: 4 << 20)
                    } catch {
                        return fail("reading \(topic)/\(partition) at offset \(next): \(error)")
                    }
                } catch {
                    return fail("reading \(topic)/\(partition) at offset \(next): \(error)")
                }
                let records = response.records.filter { $0.offset >= next && $0.offset <= through }
                guard let last = response.records.last else { break }
                var text = ""
                for r in records { text += RecordJSON.line(topic: topic, partition: partition, record: r) + "\n" }
                if let problem = write(fd, text) { return fail("writing \(path): \(problem)") }
                count += records.count
                next = last.offset + 1
            }
        }
        if fsync(fd) != 0 { return fail("writing \(path): \(lastError())") }
        close(fd)
        // link fails when the name was taken meanwhile: the partial file is then removed, nothing replaced.
        if link(partial, path) != 0 {
            let problem = errno == EEXIST ? "\(path) exists: choose another name" : "saving \(path): \(lastError())"
            unlink(partial)
            return .failure(SaveError(problem))
        }
        unlink(partial)
        return .success(count)
    }

    /// `~/x` as `$HOME/x`; anything else as it is.
    static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = getenv("HOME") else { return path }
        return String(cString: home) + path.dropFirst()
    }

    /// Writes all of `text`; nil, or why not.
    private static func write(_ fd: Int32, _ text: String) -> String? {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return lastError()
            }
            done += n
        }
        return nil
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
