// Owns the dismissible banner that shows an error message.
export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span className="error-text">{message}</span>
      <button type="button" className="error-dismiss" aria-label="Dismiss" data-testid="error-dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
