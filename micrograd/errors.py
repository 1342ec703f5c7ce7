"""The error micrograd raises for a PyTorch feature it does not have."""


class NotSupported(NotImplementedError, AttributeError):
    """A PyTorch feature micrograd does not have (also an AttributeError, so hasattr() works)."""
