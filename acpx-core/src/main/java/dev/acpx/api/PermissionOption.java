package dev.acpx.api;

/** One answer an agent offers in a permission request ({@code allow_once}, {@code reject_once}, ...). */
public record PermissionOption(String optionId, String name, String kind) {
    public boolean allows() {
        return kind != null && kind.startsWith("allow");
    }

    public boolean rejects() {
        return kind != null && kind.startsWith("reject");
    }
}
