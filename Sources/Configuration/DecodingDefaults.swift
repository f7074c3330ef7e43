extension KeyedDecodingContainer {
    /// Replaces `value` with the one under `key` when the key is present; an absent key keeps
    /// the default the property declares, so each default is written once, where it is declared.
    func update<Value: Decodable>(_ value: inout Value, _ key: Key) throws {
        if let decoded = try decodeIfPresent(Value.self, forKey: key) { value = decoded }
    }
}
