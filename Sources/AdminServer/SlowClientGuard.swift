import AdminProtocol
import Logging
import NIOCore

/// Closes a connection whose client started a frame and does not finish it within
/// ``AdminServerConfig/frameTimeout`` (a slow-loris client dribbling bytes to hold a connection
/// and its partly read frame open). Before closing it answers once with `TOO_MANY_REQUESTS`
/// and correlation id 0, like a bad length prefix is answered.
///
/// It sits between the socket and the frame decoder and follows the frame boundaries itself (it
/// only counts bytes: the 4 length bytes, then the payload). The clock runs only while the
/// server is asking for bytes: when the server stops reading because the connection has
/// ``AdminServerConfig/maxInFlightRequests`` requests waiting, the rest of a frame waits in the
/// socket through no fault of the client, so that time does not count.
///
/// A length prefix out of bounds is the decoder's to refuse; the guard then stops following
/// the stream (it is closed anyway).
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let frameTimeout: TimeAmount
    private let maxFrameBytes: Int
    private let logger: Logger

    /// Length bytes of the current frame seen so far (0 … 4).
    private var prefixBytes = 0
    private var prefix: UInt32 = 0
    /// Payload bytes of the current frame still to come.
    private var remaining = 0
    /// Set once a length prefix is out of bounds: the decoder closes the stream.
    private var broken = false
    private var deadline: Scheduled<Void>?

    /// True while a `read()` from the server is outstanding (it wants bytes).
    private var readRequested = true
    private var lastReadComplete = NIODeadline.now()
    /// Time the server did not ask for bytes since the current frame's deadline was armed.
    private var withheld: TimeAmount = .zero

    init(frameTimeout: TimeAmount, maxFrameBytes: Int, logger: Logger) {
        self.frameTimeout = frameTimeout
        self.maxFrameBytes = maxFrameBytes
        self.logger = logger
    }

    private var inFrame: Bool { prefixBytes > 0 || remaining > 0 }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        if !broken { follow(bytes.readableBytesView, context: context) }
        context.fireChannelRead(data)
    }

    /// Moves the frame boundaries over `bytes`; arms the deadline when a frame starts and cancels
    /// it when the frame is complete.
    private func follow(_ bytes: ByteBufferView, context: ChannelHandlerContext) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if remaining > 0 {
                let take = min(remaining, bytes.endIndex - index)
                remaining -= take
                index += take
                if remaining == 0 { frameCompleted() }
                continue
            }
            if prefixBytes == 0 { frameStarted(context: context) }
            prefix = prefix << 8 | UInt32(bytes[index])
            prefixBytes += 1
            index += 1
            if prefixBytes == AdminFrame.lengthPrefixSize {
                let length = Int(prefix)
                guard length >= AdminFrame.minimumLength && length <= maxFrameBytes else {
                    broken = true
                    cancelDeadline()
                    return
                }
                remaining = length
            }
        }
    }

    private func frameStarted(context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        withheld = .zero
        arm(in: frameTimeout, context: context)
    }

    private func frameCompleted() {
        prefixBytes = 0
        prefix = 0
        cancelDeadline()
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(in delay: TimeAmount, context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            self.deadlinePassed(context: context)
        }
    }

    private func deadlinePassed(context: ChannelHandlerContext) {
        deadline = nil
        guard inFrame && !broken else { return }
        if !readRequested {
            // The server holds the bytes back (requests in flight): check again later.
            arm(in: frameTimeout, context: context)
            return
        }
        if withheld > .milliseconds(1) {
            // Part of the time went to the server not reading: give the client that time back.
            let extra = withheld
            withheld = .zero
            arm(in: extra, context: context)
            return
        }
        let limit = SlowClientGuard.describe(frameTimeout)
        let remote = context.channel.remoteAddress
        logger.warning(
            "closing connection: frame not completed in time",
            metadata: ["limit": "\(limit)", "remote": "\(remote?.ipAddress ?? "unknown"):\(remote?.port ?? 0)"])
        broken = true
        context.writeAndFlush(
            wrapOutboundOut(
                AdminServer.errorFrame(
                    0, .tooManyRequests,
                    "frame not completed within \(limit): the broker closes connections that send a frame this slowly")),
            promise: nil)
        context.close(promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        readRequested = false
        lastReadComplete = .now()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if !readRequested {
            readRequested = true
            if deadline != nil { withheld = withheld + (NIODeadline.now() - lastReadComplete) }
        }
        context.read()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    /// `30 s`, `300 ms`: a timeout as a person reads it.
    static func describe(_ amount: TimeAmount) -> String {
        let nanos = amount.nanoseconds
        if nanos % 1_000_000_000 == 0 { return "\(nanos / 1_000_000_000) s" }
        if nanos % 1_000_000 == 0 { return "\(nanos / 1_000_000) ms" }
        return "\(nanos / 1_000) µs"
    }
}
