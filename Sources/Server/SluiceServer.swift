/// SluiceServer: HTTP/1.1 serving of sites on SwiftNIO.
///
/// ``HTTPServer`` accepts connections on SwiftNIO event loops, decodes requests with NIOHTTP1,
/// and hands each complete request to a `RequestHandler` (from SluiceHost) on a bounded pool of
/// worker threads, so a script running to its budget never stalls other connections' I/O.
public enum SluiceServer {}
