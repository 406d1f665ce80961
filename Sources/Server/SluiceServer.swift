/// SluiceServer: HTTP/1.1 serving of sites on SwiftNIO.
public enum SluiceServer {}
