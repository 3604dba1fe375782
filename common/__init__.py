"""The ground floor: pieces every app uses (published cells, uploads, exports, fixture reading,
import plan types, COPY). Nothing here imports an app of the portal."""
