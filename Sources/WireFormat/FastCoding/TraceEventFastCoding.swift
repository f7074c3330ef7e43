// The hand-written JSON form of a req/rep hop's `trace.<agent>` event: every hop of a cycle
// publishes two of them (client and server) whenever anyone follows the traces.

extension TraceEventPayload: FastWireCodable {
    public static let fastJSON: FastJSONForm<TraceEventPayload>? = FastJSONForm(
        encode: { envelope throws(ProtocolError) in try FastEnvelopeCoding.encodeEnvelope(envelope) },
        decode: { data throws(ProtocolError) in try FastEnvelopeCoding.decodeEnvelope(TraceEventPayload.self, from: data) },
        decodeOpened: { message throws(ProtocolError) in try FastEnvelopeCoding.decodeOpened(TraceEventPayload.self, from: message) })

    private static let keys = JSONKeyTable("attempts", "detail", "end_us", "outcome", "peer", "reply_id", "request_id",
                                           "request_parent_id", "request_type", "role", "start_us")

    @usableFromInline
    package func writeFastJSON(to out: ByteBuffer) throws(FastPathDeclined) {
        var object = JSONObjectWriter(out)
        object.integer("attempts", attempts)
        object.optionalString("detail", detail)
        object.integer("end_us", endUs)
        object.string("outcome", outcome)
        object.string("peer", peer)
        object.optionalString("reply_id", replyId)
        object.string("request_id", requestId)
        object.optionalString("request_parent_id", requestParentId)
        object.string("request_type", requestType)
        object.string("role", role)
        object.integer("start_us", startUs)
        object.close()
    }

    @usableFromInline
    package init(fastJSON value: JSONValueReader) throws(FastPathDeclined) {
        var attempts: Int?, detail: String?, endUs: Int64?, outcome: String?, peer: String?, replyId: String?, requestId: String?
        var requestParentId: String?, requestType: String?, role: String?, startUs: Int64?
        var members = try value.members(Self.keys)
        while let (field, value) = try members.next() {
            switch field {
            case 0: attempts = try value.integer()
            case 1: detail = try value.optionalString()
            case 2: endUs = try value.integer()
            case 3: outcome = try value.recurringString()
            case 4: peer = try value.recurringString()
            case 5: replyId = try value.optionalString()
            case 6: requestId = try value.string()
            case 7: requestParentId = try value.optionalString()
            case 8: requestType = try value.recurringString()
            case 9: role = try value.recurringString()
            default: startUs = try value.integer()
            }
        }
        guard let attempts, let endUs, let outcome, let peer, let requestId, let requestType, let role, let startUs
        else { throw FastPathDeclined() }
        self.init(role: role, requestType: requestType, requestId: requestId, requestParentId: requestParentId, replyId: replyId,
                  peer: peer, startUs: startUs, endUs: endUs, outcome: outcome, attempts: attempts, detail: detail)
    }
}
