import WireFormat

/// A hand-written form that declines every read (the `Codable` path reads the value instead):
/// for records the agents write often and read rarely.
protocol WrittenForm: FastWireCodable {}

extension WrittenForm {
    init(fastJSON value: JSONValueReader) throws(FastPathDeclined) { throw FastPathDeclined() }
}
