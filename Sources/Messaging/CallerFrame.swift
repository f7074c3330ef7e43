import Foundation

/// How a request broker tells a replica who sent each request: it puts the caller's `User-Id`
/// (empty when the frontend does not authenticate) as one frame in front of the client's routing
/// frames; the replica takes it out again, so its reply carries the routing frames alone.
enum CallerFrame {
    /// The frames the broker passes to a replica for `message`, received on its frontend.
    static func wrap(_ message: IdentifiedFrames) -> Frames {
        [Data(utf8Of: message.userId ?? "")] + message.frames
    }

    /// What a replica's ROUTER received from the broker — the broker's routing id, the caller
    /// frame, then the client's routing and the request — split into the request's frames (with
    /// the caller frame removed) and the caller's identity; nil identity when it is empty.
    static func unwrap(_ message: IdentifiedFrames) -> IdentifiedFrames {
        let frames = message.frames
        guard frames.count >= 3 else { return IdentifiedFrames(frames: frames, userId: nil) }
        let caller = frames[1]
        return IdentifiedFrames(frames: [frames[0]] + frames[2...], userId: caller.isEmpty ? nil : String(decoding: caller, as: UTF8.self))
    }
}
