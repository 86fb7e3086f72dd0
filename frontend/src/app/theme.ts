import { createTheme } from "@mantine/core";

// Dense defaults: operators read many rows at once.
export const theme = createTheme({
  primaryColor: "indigo",
  fontSizes: { md: "14px" },
  defaultRadius: "sm",
  components: {
    Table: { defaultProps: { verticalSpacing: 4, horizontalSpacing: "xs", fz: "sm" } },
    Button: { defaultProps: { size: "xs" } },
    TextInput: { defaultProps: { size: "xs" } },
    PasswordInput: { defaultProps: { size: "xs" } },
    Select: { defaultProps: { size: "xs" } },
    NumberInput: { defaultProps: { size: "xs" } },
    Textarea: { defaultProps: { size: "xs" } },
    SegmentedControl: { defaultProps: { size: "xs" } },
    TagsInput: { defaultProps: { size: "xs" } },
  },
});
