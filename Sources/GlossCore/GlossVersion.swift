/// The version of Gloss this build is: what `gloss --version` prints.
public enum GlossVersion {
    public static let current = "0.1.0"
}
