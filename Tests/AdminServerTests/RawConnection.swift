import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP connection for sending hand-made bytes to the server.
final class RawConnection: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ buffer: ByteBuffer) { send(Array(buffer.readableBytesView)) }

    /// Half-closes the connection: the server reads EOF, this side can still read.
    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Sends `bytes` one at a time with `gap` between them, from a thread of its own (a sleeping
    /// task can wake late when the cooperative pool is busy).
    func sendSlowly(_ bytes: [UInt8], gap: Duration) async {
        let micros = useconds_t(gap.components.seconds * 1_000_000 + gap.components.attoseconds / 1_000_000_000_000)
        await Self.onOwnThread {
            for byte in bytes {
                self.send([byte])
                usleep(micros)
            }
        }
    }

    /// Reads one frame payload, or nil when the server closed the connection (or 5 s passed).
    /// The blocking `recv` runs on a thread of its own: blocking the (two-thread) cooperative pool
    /// would starve the server under test, and Dispatch's pool is small too (on Linux it grows
    /// only slowly when its threads block, so tests that wait for seconds delay each other).
    func readFrame() async -> [UInt8]? {
        guard case .frame(let payload) = await next() else { return nil }
        return payload
    }

    /// Runs blocking `work` on a new thread and returns its result.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }

    /// What the server sent next: a whole frame, the end of the stream, or nothing before the
    /// 5-second receive timeout (or a connection error).
    enum Next: Equatable {
        case frame([UInt8])
        case closed
        case nothing
    }

    /// Like ``readFrame()``, but tells the server closing the connection (EOF) apart from
    /// silence.
    func next() async -> Next {
        await Self.onOwnThread {
            let length: Next = self.readExactly(4)
            guard case .frame(let lengthBytes) = length else { return length }
            let count = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
            return self.readExactly(count)
        }
    }

    /// Reads until the server closes the connection (skipping the frames before it) or until a
    /// read times out; returns true on EOF.
    func readUntilClosed() async -> Bool {
        while true {
            switch await next() {
            case .frame: continue
            case .closed: return true
            case .nothing: return false
            }
        }
    }

    private func readExactly(_ count: Int) -> Next {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + done, count - done, 0) }
            if n == 0 { return .closed }
            if n < 0 { return errno == ECONNRESET ? .closed : .nothing }
            done += n
        }
        return .frame(out)
    }

    deinit { close(fd) }
}
