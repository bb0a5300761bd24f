import NIOCore
import Testing

@testable import AdminProtocol

struct PrimitivesTests {
    /// A string over 65,535 UTF-8 bytes is cut at the last whole scalar that fits, so it stays valid UTF-8.
    @Test(arguments: [0, 1, 2, 3])
    func overlongStringIsCut(asciiPrefix: Int) throws {
        // Pad so that a 4-byte scalar straddles the 65,535-byte boundary at each possible offset.
        let string = String(repeating: "a", count: 65_532 + asciiPrefix) + String(repeating: "🚀", count: 3)
        var buffer = ByteBuffer()
        buffer.writeWireString(string)
        let length = Int(buffer.getInteger(at: 0, as: UInt16.self)!)
        #expect(length <= 65_535 && length > 65_531)
        let decoded = try buffer.readWireString("s")
        #expect(string.hasPrefix(decoded))
        #expect(decoded.utf8.count == length)
        #expect(buffer.readableBytes == 0)
    }

    /// float64 keeps the exact bit pattern, NaN payloads and negative zero included.
    @Test(arguments: [
        0.0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .pi, Double(bitPattern: 0x7FF0_0000_0000_0001),
    ])
    func float64BitExact(value: Double) throws {
        var buffer = ByteBuffer()
        buffer.writeWireFloat64(value)
        #expect(buffer.readableBytes == 8)
        #expect(try buffer.readWireFloat64("f").bitPattern == value.bitPattern)
    }

    /// bytes (uint32 length) round-trips and refuses a length past the end.
    @Test func bytesPrimitive() throws {
        var buffer = ByteBuffer()
        buffer.writeWireBytes([1, 2, 3])
        buffer.writeWireBytes([])
        #expect(try buffer.readWireBytes("b") == [1, 2, 3])
        #expect(try buffer.readWireBytes("b") == [])
        var hostile = ByteBuffer(bytes: be(UInt32.max) + [1, 2])
        #expect(throws: AdminProtocolError.self) { try hostile.readWireBytes("b") }
    }

    /// Optionals are a bool flag then the value; integers of every width are big-endian.
    @Test func optionalsAndIntegers() throws {
        var buffer = ByteBuffer()
        buffer.writeWireOptional(String?.none)
        buffer.writeWireOptional("x" as String?)
        buffer.writeInteger(Int8.min)
        buffer.writeInteger(Int16.min)
        buffer.writeInteger(UInt32.max)
        buffer.writeInteger(Int64.min)
        #expect(
            buffer.bytes == [0, 1, 0, 1, 0x78, 0x80, 0x80, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(try buffer.readWireOptional("o", of: String.self) == nil)
        #expect(try buffer.readWireOptional("o", of: String.self) == "x")
        #expect(try buffer.readWireInteger("i", as: Int8.self) == Int8.min)
        #expect(try buffer.readWireInteger("i", as: Int16.self) == Int16.min)
        #expect(try buffer.readWireInteger("i", as: UInt32.self) == UInt32.max)
        #expect(try buffer.readWireInteger("i", as: Int64.self) == Int64.min)
        #expect(throws: AdminProtocolError.self) { try buffer.readWireInteger("i", as: UInt8.self) }
    }
}
