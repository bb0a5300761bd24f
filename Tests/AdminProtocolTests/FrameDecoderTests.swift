import AdminProtocol
import NIOCore
import Testing

struct FrameDecoderTests {
    /// A stream of frames of many sizes (the minimum, small, around 64 KiB, several hundred KiB) with
    /// random payloads: the decoder does not look inside a payload.
    static let stream: (bytes: [UInt8], payloads: [[UInt8]]) = {
        var random = SeededRandom(seed: 0xF4A3E)
        let sizes =
            [8, 8, 9, 17, 255, 256, 1000, 4096, 65_535, 65_536, 70_000, 8, 300_000, 12, 9]
            + (0..<60).map { _ in Int.random(in: 8...3000, using: &random) }
        let payloads = sizes.map { size in (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) } }
        return (payloads.flatMap(frameBytes), payloads)
    }()

    /// Feeding the whole stream at once yields every payload in order and leaves nothing buffered.
    @Test func wholeStream() throws {
        var decoder = AdminFrameDecoder()
        let frames = try decoder.feed(buffer(Self.stream.bytes))
        #expect(frames.map(\.bytes) == Self.stream.payloads)
        #expect(decoder.bufferedBytes == 0)
    }

    /// Feeding the stream one byte at a time yields the same payloads.
    @Test func byteByByte() throws {
        var decoder = AdminFrameDecoder()
        var payloads: [[UInt8]] = []
        for byte in Self.stream.bytes {
            payloads += try decoder.feed(buffer([byte])).map(\.bytes)
        }
        #expect(payloads == Self.stream.payloads)
        #expect(decoder.bufferedBytes == 0)
    }

    /// Feeding the stream in random chunk sizes (seeded) yields the same payloads.
    @Test(arguments: [UInt64(1), 2, 3, 0xC0FFEE, 0xDEAD_BEEF])
    func randomChunks(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var decoder = AdminFrameDecoder()
        var payloads: [[UInt8]] = []
        var offset = 0
        let bytes = Self.stream.bytes
        while offset < bytes.count {
            let maxChunk = [1, 7, 64, 1000, 70_000].randomElement(using: &random)!
            let size = min(Int.random(in: 0...maxChunk, using: &random), bytes.count - offset)
            decoder.append(buffer(Array(bytes[offset..<offset + size])))
            while let frame = try decoder.nextFrame() { payloads.append(frame.bytes) }
            offset += size
        }
        #expect(payloads == Self.stream.payloads)
        #expect(decoder.bufferedBytes == 0)
    }

    /// Payloads handed out stay intact while the decoder keeps receiving bytes into its buffer.
    @Test func payloadsSurviveLaterFeeds() throws {
        var decoder = AdminFrameDecoder()
        let bytes = Self.stream.bytes
        let half = bytes.count / 2
        let first = try decoder.feed(buffer(Array(bytes[..<half])))
        let second = try decoder.feed(buffer(Array(bytes[half...])))
        #expect((first + second).map(\.bytes) == Self.stream.payloads)
    }

    /// A length below 8 is malformed as soon as the 4 length bytes are in.
    @Test(arguments: 0..<8)
    func lengthBelowMinimum(length: Int) {
        var decoder = AdminFrameDecoder()
        let error = #expect(throws: AdminProtocolError.self) { try decoder.feed(buffer(be(UInt32(length)))) }
        #expect(malformedReason(error)?.hasPrefix("frame:") == true)
        #expect(error?.errorCode == .malformedRequest)
    }

    /// A length above the maximum is frameTooLarge with the size and the limit, without waiting for the payload.
    @Test(arguments: [UInt32(AdminFrame.defaultMaxFrameBytes + 1), UInt32(0x7FFF_FFFF), UInt32.max])
    func lengthAboveMaximum(length: UInt32) {
        var decoder = AdminFrameDecoder()
        #expect(throws: AdminProtocolError.frameTooLarge(size: Int(length), limit: AdminFrame.defaultMaxFrameBytes)) {
            try decoder.feed(buffer(be(length) + [1, 2, 3]))
        }
        #expect(AdminProtocolError.frameTooLarge(size: 1, limit: 0).errorCode == .frameTooLarge)
    }

    /// Lengths of exactly 8 and exactly the (configured) maximum are accepted; one more is refused.
    @Test func lengthBounds() throws {
        var decoder = AdminFrameDecoder(maxFrameBytes: 100)
        let eight = try decoder.feed(buffer(be(UInt32(8)) + Array(repeating: 1, count: 8)))
        #expect(eight.map(\.readableBytes) == [8])
        let hundred = try decoder.feed(buffer(be(UInt32(100)) + Array(repeating: 2, count: 100)))
        #expect(hundred.map(\.readableBytes) == [100])
        #expect(throws: AdminProtocolError.frameTooLarge(size: 101, limit: 100)) {
            try decoder.feed(buffer(be(UInt32(101))))
        }
    }

    /// After a bad length the stream is out of sync for good: every later call throws the same error.
    @Test func failureIsSticky() {
        var decoder = AdminFrameDecoder()
        #expect(throws: AdminProtocolError.self) { try decoder.feed(buffer(be(UInt32(3)))) }
        let valid = buffer(frameBytes(Array(repeating: 0, count: 8)))
        let error = #expect(throws: AdminProtocolError.self) { try decoder.feed(valid) }
        #expect(malformedReason(error)?.contains("length 3") == true)
    }

    /// A frame after good ones fails only when its own length arrives; the good ones were returned first.
    @Test func goodFramesBeforeABadOne() throws {
        var decoder = AdminFrameDecoder()
        let good = buffer(frameBytes(Array(repeating: 0, count: 8)))
        #expect(try decoder.feed(good).count == 1)
        decoder.append(good)
        decoder.append(buffer(be(UInt32.max)))
        #expect(try decoder.nextFrame() != nil)
        #expect(throws: AdminProtocolError.self) { try decoder.nextFrame() }
    }

    /// decodeFrame (for a ByteToMessageDecoder) leaves an incomplete buffer untouched and consumes a whole frame.
    @Test func staticDecodeFrame() throws {
        let payload = Array(1...20) as [UInt8]
        let frame = frameBytes(payload)
        for cut in 0..<frame.count {
            var partial = buffer(Array(frame[..<cut]))
            #expect(try AdminFrameDecoder.decodeFrame(from: &partial) == nil)
            #expect(partial.readableBytes == cut)
        }
        var whole = buffer(frame + [0xFF])
        let decoded = try #require(try AdminFrameDecoder.decodeFrame(from: &whole))
        #expect(decoded.bytes == payload)
        #expect(whole.bytes == [0xFF])
    }

    /// A client can raise the limit after the handshake.
    @Test func raisedLimit() throws {
        var decoder = AdminFrameDecoder(maxFrameBytes: 16)
        decoder.maxFrameBytes = 32
        #expect(try decoder.feed(buffer(be(UInt32(32)) + Array(repeating: 0, count: 32))).count == 1)
    }
}
