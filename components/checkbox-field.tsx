/** A checkbox with a bold label and a line of help under it (settings and the wizard share the look). */
export function CheckboxField({ name, defaultChecked, label, help, className }: { name: string; defaultChecked: boolean; label: string; help: string; className: string }) {
  return (
    <label className={`flex items-start text-sm ${className}`}>
      <input type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-1" />
      <span>
        <span className="block font-medium">{label}</span>
        <span className="block text-ink-muted">{help}</span>
      </span>
    </label>
  );
}
