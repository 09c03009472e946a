/// Lowercase hexadecimal text of bytes: ids, trace ids, key hashes.
public enum Hex {
    /// The bytes' lowercase hex digits, with a `-` before each byte whose index is listed (a UUID's dashes come
    /// before bytes 4, 6, 8 and 10).
    public static func lowercase(_ bytes: [UInt8], dashesBefore dashes: [Int] = []) -> String {
        let table = Array("0123456789abcdef".utf8)
        var utf8 = [UInt8]()
        utf8.reserveCapacity(bytes.count * 2 + dashes.count)
        for (index, byte) in bytes.enumerated() {
            if dashes.contains(index) { utf8.append(UInt8(ascii: "-")) }
            utf8.append(table[Int(byte >> 4)])
            utf8.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
