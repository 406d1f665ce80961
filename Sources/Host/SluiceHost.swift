/// SluiceHost: sites on disk, the request lifecycle, host bindings (request, response, Schema,
/// CRM, sessions), the SQLite store and templates. Knows nothing of sockets.
public enum SluiceHost {}
