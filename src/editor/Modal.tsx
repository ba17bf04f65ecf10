/** A modal `<dialog>` shown while `open`; Escape or the ✕ button calls `onClose`. */
import { useEffect, useRef, type ReactNode } from 'react';

export interface ModalProps {
  open: boolean;
  /** The dialog's accessible name and heading. */
  title: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}

export function Modal({ open, title, onClose, className, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-label={title}
      // No onClose: closing because `open` became false must not call back (a dialog closing
      // as the next one opens would close that one too). Escape and ✕ are the user's closes.
      onCancel={(e) => {
        // Escape: let the owner decide (it closes by setting `open` false).
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {open && children}
    </dialog>
  );
}
