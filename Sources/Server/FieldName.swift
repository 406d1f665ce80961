/// Whether a header field name equals `lowercaseName`, ignoring ASCII case, without allocating
/// (`lowercased()` would build a new string for every header of every request).
func fieldName(_ name: String, is lowercaseName: StaticString) -> Bool {
    lowercaseName.withUTF8Buffer { expected in
        guard name.utf8.count == expected.count else { return false }
        var index = 0
        for byte in name.utf8 {
            let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
            if folded != expected[index] { return false }
            index += 1
        }
        return true
    }
}
