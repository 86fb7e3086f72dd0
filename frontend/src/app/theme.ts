import { createTheme, type CSSVariablesResolver } from "@mantine/core";

// Dense defaults: operators read many rows at once. Shade 8 of each color for text,
// links and filled buttons, and a darker "dimmed", so every text meets WCAG AA contrast.
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 6 },
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

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
