from django.urls import path
app_name = 'policy'
urlpatterns = []
