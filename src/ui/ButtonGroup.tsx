import type { ComponentChildren } from 'preact';

/** GOV.UK's button group: buttons and links side by side, stacked on a narrow screen. */
export function ButtonGroup({ children, id, class: extra }: { children: ComponentChildren; id?: string; class?: string }) {
  return (
    <div class={`govuk-button-group${extra ? ` ${extra}` : ''}`} id={id}>
      {children}
    </div>
  );
}
