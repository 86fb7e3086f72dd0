import { Textarea } from "@mantine/core";

/** A JSON value typed as text; `parseJson` says what is wrong with it in words. */
export function JsonField({
  label,
  value,
  onChange,
  description,
  minRows = 3,
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  description?: string;
  minRows?: number;
}) {
  return (
    <Textarea
      label={label}
      description={description}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      autosize
      minRows={minRows}
      styles={{ input: { fontFamily: "monospace" } }}
    />
  );
}

export function parseJson(label: string, text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: `${label} is not valid JSON: ${(e as Error).message}` };
  }
}
